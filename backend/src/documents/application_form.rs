//! The application form (申报书): cover with the verification code and a QR code of the
//! verification page, the company's data, the project, the amount computation, the materials
//! checklist and the pledge page for the legal representative's signature and the company's
//! stamp. A4, Chinese text in the embedded WenQuanYi Micro Hei, subset to the glyphs used.

use std::sync::OnceLock;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");
static FONT: OnceLock<Option<ParsedFont>> = OnceLock::new();

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

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 22.0;
const RIGHT: f32 = 188.0;
const BOTTOM: f32 = 22.0;

/// Lays text out top-down on A4 pages.
struct Layout {
    font: FontId,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    y: f32,
    footer: String,
}

impl Layout {
    fn new(font: FontId, footer: String) -> Layout {
        Layout { font, pages: Vec::new(), ops: Vec::new(), y: PAGE_H - 25.0, footer }
    }

    fn text_at(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(self.font.clone()), size: Pt(size) },
            Op::SetTextCursor { pos: Point { x: Mm(x).into(), y: Mm(y).into() } },
            Op::ShowText { items: vec![TextItem::Text(text.to_string())] },
            Op::EndTextSection,
        ]);
    }

    fn page_break(&mut self) {
        let number = self.pages.len() + 1;
        let footer = format!("{}　第 {number} 页", self.footer);
        self.text_at(LEFT, 12.0, 8.0, &footer);
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = PAGE_H - 25.0;
    }

    fn need(&mut self, mm: f32) {
        if self.y - mm < BOTTOM {
            self.page_break();
        }
    }

    /// A line of `size` pt at `x`, wrapped to the right margin; moves down.
    fn line(&mut self, x: f32, size: f32, text: &str) {
        let per_mm = size * 0.3528; // one CJK character is about `size` pt wide
        let max_units = (((RIGHT - x) / per_mm) * 2.0).floor().max(4.0) as usize;
        for part in wrap(text, max_units) {
            self.need(size * 0.3528 * 1.6);
            self.y -= size * 0.3528 * 1.6;
            self.text_at(x, self.y, size, &part);
        }
    }

    fn heading(&mut self, text: &str) {
        self.need(16.0);
        self.y -= 4.0;
        self.line(LEFT, 13.0, text);
        self.rule();
    }

    fn rule(&mut self) {
        self.y -= 2.0;
        self.ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
        self.ops.push(Op::DrawLine {
            line: Line { points: vec![LinePoint { p: Point { x: Mm(LEFT).into(), y: Mm(self.y).into() }, bezier: false }, LinePoint { p: Point { x: Mm(RIGHT).into(), y: Mm(self.y).into() }, bezier: false }], is_closed: false },
        });
    }

    /// Label: value rows, the value wrapped beside the label.
    fn rows(&mut self, rows: &[(String, String)]) {
        for (label, value) in rows {
            let value = if value.trim().is_empty() { "—".to_string() } else { value.clone() };
            let parts = wrap(&value, 70);
            for (i, part) in parts.iter().enumerate() {
                self.need(7.0);
                self.y -= 6.5;
                if i == 0 {
                    self.text_at(LEFT, self.y, 10.5, label);
                }
                self.text_at(LEFT + 48.0, self.y, 10.5, part);
            }
        }
    }

    fn qr(&mut self, x: f32, top: f32, size_mm: f32, data: &str) {
        let Ok(code) = qrcode::QrCode::new(data.as_bytes()) else { return };
        let width = code.width();
        let module = size_mm / width as f32;
        self.ops.push(Op::SetFillColor { col: Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None }) });
        for (i, colour) in code.to_colors().iter().enumerate() {
            if *colour == qrcode::Color::Dark {
                let (cx, cy) = ((i % width) as f32, (i / width) as f32);
                let rect = Rect::from_xywh(Mm(x + cx * module).into(), Mm(top - (cy + 1.0) * module).into(), Mm(module).into(), Mm(module).into());
                self.ops.push(Op::DrawRectangle { rectangle: rect });
            }
        }
    }

    fn finish(mut self) -> Vec<Vec<Op>> {
        if !self.ops.is_empty() {
            self.page_break();
        }
        self.pages
    }
}

/// `text` in lines of at most `max_units` (a CJK character counts two, others one).
fn wrap(text: &str, max_units: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut units = 0;
        for c in paragraph.chars() {
            let w = if c.is_ascii() { 1 } else { 2 };
            if units + w > max_units && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                units = 0;
            }
            line.push(c);
            units += w;
        }
        lines.push(line);
    }
    lines
}

/// The form as PDF bytes.
pub fn render(data: &FormData) -> anyhow::Result<Vec<u8>> {
    let font = FONT
        .get_or_init(|| ParsedFont::from_bytes(FONT_BYTES, 0, &mut Vec::new()))
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("the embedded font does not parse"))?;
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
    let pages = l.finish();

    let pages: Vec<PdfPage> = pages.into_iter().map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops)).collect();
    let mut warnings = Vec::new();
    let options = PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() };
    Ok(doc.with_pages(pages).save(&options, &mut warnings))
}
