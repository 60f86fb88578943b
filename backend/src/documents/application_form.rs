//! The application form (申报书): cover with the verification code and a QR code of the
//! verification page, the company's data, the project, the amount computation, the materials
//! checklist and the pledge page for the legal representative's signature and the company's
//! stamp. A4, Chinese text in the embedded WenQuanYi Micro Hei, subset to the glyphs used.

use printpdf::PdfDocument;

use super::layout::{font, save, Layout, LEFT, PAGE_H};

/// Everything the form prints, already in words.
#[derive(Debug, Clone, Default)]
pub struct FormData {
    pub program_title: String,
    pub program_code: String,
    pub program_version: i32,
    pub company_name: String,
    pub credit_code: String,
    /// Label and value, in order.
    pub company: Vec<(String, String)>,
    pub project: Vec<(String, String)>,
    pub amount: Vec<(String, String)>,
    /// Name, required, the file uploaded.
    pub materials: Vec<(String, bool, Option<String>)>,
    pub verification_code: String,
    pub verify_url: String,
    /// "草稿" or the submission time, in Beijing time.
    pub status: String,
    /// When the form was issued, in Beijing time.
    pub issued_at: String,
}

/// The form as PDF bytes.
pub fn render(data: &FormData) -> anyhow::Result<Vec<u8>> {
    let font = font()?;
    let mut doc = PdfDocument::new(&format!("{} 申报书 {}", data.program_title, data.verification_code));
    let font_id = doc.add_font(font);
    let mut l = Layout::new(font_id, format!("{}　验证码 {}", data.program_title, data.verification_code));

    // Cover.
    l.y = PAGE_H - 60.0;
    l.line(LEFT, 22.0, &data.program_title);
    l.y -= 6.0;
    l.line(LEFT, 28.0, "申 报 书");
    l.y -= 20.0;
    let cover = vec![
        ("申报单位".to_string(), data.company_name.clone()),
        ("统一社会信用代码".to_string(), data.credit_code.clone()),
        ("专项编号".to_string(), format!("{}（第 {} 版）", data.program_code, data.program_version)),
        ("状态".to_string(), data.status.clone()),
        ("生成时间".to_string(), data.issued_at.clone()),
        ("验证码".to_string(), data.verification_code.clone()),
    ];
    l.rows(&cover);
    l.y -= 10.0;
    let qr_top = l.y;
    l.qr(LEFT, qr_top, 36.0, &data.verify_url);
    l.text_at(LEFT + 42.0, qr_top - 10.0, 9.0, "扫描二维码或访问以下地址核验本申报书：");
    l.text_at(LEFT + 42.0, qr_top - 16.0, 9.0, &data.verify_url);
    l.page_break();

    l.heading("一、申报单位基本情况");
    l.rows(&data.company);
    l.heading("二、项目情况");
    l.rows(&data.project);
    l.heading("三、申请金额测算");
    l.rows(&data.amount);
    l.heading("四、申报材料清单");
    for (name, required, file) in &data.materials {
        let mark = if *required { "必需" } else { "可选" };
        let status = file.as_deref().map_or_else(|| "未上传".to_string(), |f| format!("已上传：{f}"));
        l.line(LEFT, 10.5, &format!("□ {name}（{mark}）　{status}"));
    }
    l.page_break();

    l.heading("五、真实性及信用承诺书");
    l.line(
        LEFT,
        11.0,
        &format!(
            "本单位郑重承诺：所申报的“{}”项目及提交的全部材料真实、准确、完整，不存在弄虚作假、重复申报或多头申报同一项目的情形；如有不实，本单位愿承担由此产生的一切法律责任，并接受取消资格、追回资金及信用惩戒等处理。",
            data.program_title
        ),
    );
    l.y -= 30.0;
    l.line(LEFT, 11.0, "法定代表人（签字）：____________________");
    l.y -= 16.0;
    l.line(LEFT, 11.0, "申报单位（盖章）：____________________");
    l.y -= 16.0;
    l.line(LEFT, 11.0, "日期：________ 年 ____ 月 ____ 日");
    Ok(save(doc, l))
}
