//! The public notice of proposed awards (公示名单) and the approval notice (立项通知), laid out
//! like the application form (`layout`, the same embedded CJK font).

use printpdf::PdfDocument;
use shared::awards::{AwardStatus, NoticeView};

use super::layout::{font, save, Layout, LEFT, PAGE_H};
use super::{amount_in_words, yuan};

/// A public notice as PDF: the program, the agency, the window and its last day, how to
/// object, and each award's company, credit code, project and amount.
pub fn notice_pdf(n: &NoticeView, page_url: &str) -> anyhow::Result<Vec<u8>> {
    let mut doc = PdfDocument::new(&format!("{} 拟立项项目公示", n.program_title.zh));
    let font_id = doc.add_font(font()?);
    let mut l = Layout::new(font_id, format!("{} 拟立项项目公示（第 {} 号）", n.program_title.zh, n.id));
    l.line(LEFT, 16.0, &format!("关于{}拟立项项目的公示", n.program_title.zh));
    l.y -= 4.0;
    l.line(
        LEFT,
        10.5,
        &format!(
            "根据专项资金管理有关规定，现将{}拟立项项目予以公示。公示期为 {} 至 {}（共 {} 个工作日，节假日顺延）。公示期内，任何单位和个人如有异议，可通过门户实名提出（须提供姓名、联系方式、单位或身份证号码及相关证据），匿名及逾期异议不予受理。",
            n.program_title.zh,
            n.published_on.format("%Y年%m月%d日"),
            n.closes_on.format("%Y年%m月%d日"),
            n.working_days,
            ),
    );
    l.line(LEFT, 10.5, &format!("在线查看及提出异议：{page_url}"));
    l.heading(&format!("拟立项项目名单（共 {} 项，合计 {}）", n.items.len(), yuan(n.total_fen)));
    for (i, item) in n.items.iter().enumerate() {
        let status = match item.status {
            AwardStatus::InNotice => "",
            AwardStatus::Approved => "（已立项）",
            AwardStatus::Rejected => "（不予立项）",
        };
        l.rows(&[
            (format!("{}. 申报单位", i + 1), format!("{}{status}", item.company_name)),
            ("统一社会信用代码".into(), item.credit_code.clone()),
            ("项目名称".into(), item.project_title.clone()),
            ("拟资助金额".into(), format!("{}（{}）", yuan(item.amount_fen), amount_in_words(item.amount_fen))),
        ]);
        l.y -= 3.0;
    }
    l.y -= 8.0;
    l.line(LEFT, 10.5, &n.agency_name.zh);
    l.line(LEFT, 10.5, &n.published_on.format("%Y年%m月%d日").to_string());
    Ok(save(doc, l))
}

/// Everything the approval notice prints, already in words.
#[derive(Debug, Clone, Default)]
pub struct ApprovalData {
    pub application_id: i64,
    pub company_name: String,
    pub credit_code: String,
    pub project_title: String,
    pub program_code: String,
    pub program_title: String,
    pub agency_name: String,
    pub amount_figures: String,
    pub amount_words: String,
    pub approved_on: String,
    pub notice_window: String,
    /// The tranche plan, "60% / 40%".
    pub tranches: String,
    pub verification_code: String,
    pub verify_url: String,
    pub issued_at: String,
}

/// The approval notice as PDF: to the company, the project, the amount in figures and in
/// words, the tranche plan, the notice it passed, and the verification code with its QR code.
pub fn approval_pdf(d: &ApprovalData) -> anyhow::Result<Vec<u8>> {
    let mut doc = PdfDocument::new(&format!("{} 立项通知 {}", d.program_title, d.verification_code));
    let font_id = doc.add_font(font()?);
    let mut l = Layout::new(font_id, format!("{} 立项通知　验证码 {}", d.program_title, d.verification_code));
    l.y = PAGE_H - 40.0;
    l.line(LEFT + 60.0, 22.0, "立 项 通 知");
    l.y -= 8.0;
    l.line(LEFT, 11.0, &format!("{}：", d.company_name));
    l.line(
        LEFT,
        11.0,
        &format!(
            "　　你单位申报的“{}”项目（{}），经形式审查、专家评审、审定及公示（{}），无异议，现予立项。核定资助金额为{}（{}）。请按专项管理规定组织实施，按期申请验收并报送绩效自评。",
            d.project_title, d.program_title, d.notice_window, d.amount_figures, d.amount_words
        ),
    );
    l.heading("立项信息");
    l.rows(&[
        ("项目承担单位".into(), d.company_name.clone()),
        ("统一社会信用代码".into(), d.credit_code.clone()),
        ("项目名称".into(), d.project_title.clone()),
        ("专项".into(), format!("{}（{}）", d.program_title, d.program_code)),
        ("核定资助金额（小写）".into(), d.amount_figures.clone()),
        ("核定资助金额（大写）".into(), d.amount_words.clone()),
        ("拨付安排".into(), if d.tranches.is_empty() { "一次拨付".into() } else { format!("分期拨付：{}（尾款于验收通过后拨付）", d.tranches) }),
        ("立项日期".into(), d.approved_on.clone()),
        ("生成时间".into(), d.issued_at.clone()),
        ("验证码".into(), d.verification_code.clone()),
    ]);
    l.y -= 10.0;
    let qr_top = l.y;
    l.qr(LEFT, qr_top, 32.0, &d.verify_url);
    l.text_at(LEFT + 38.0, qr_top - 10.0, 9.0, "扫描二维码或访问以下地址核验本通知：");
    l.text_at(LEFT + 38.0, qr_top - 16.0, 9.0, &d.verify_url);
    l.y = qr_top - 46.0;
    l.line(LEFT + 100.0, 11.0, &d.agency_name);
    l.line(LEFT + 100.0, 11.0, &d.approved_on);
    Ok(save(doc, l))
}
