//! Lays a document out on A4 pages, top down, in the embedded CJK font (WenQuanYi Micro Hei,
//! subset to the glyphs used when saved): the application form, the public notice and the
//! approval notice share it.

use std::sync::OnceLock;

use printpdf::{Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem};

static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");
static FONT: OnceLock<Option<ParsedFont>> = OnceLock::new();

/// The embedded font, parsed once.
pub fn font() -> anyhow::Result<&'static ParsedFont> {
    FONT.get_or_init(|| ParsedFont::from_bytes(FONT_BYTES, 0, &mut Vec::new())).as_ref().ok_or_else(|| anyhow::anyhow!("the embedded font does not parse"))
}

/// The document's pages as PDF bytes, the font subset.
pub fn save(doc: PdfDocument, layout: Layout) -> Vec<u8> {
    let pages: Vec<PdfPage> = layout.finish().into_iter().map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops)).collect();
    let mut warnings = Vec::new();
    let options = PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() };
    let mut doc = doc;
    doc.with_pages(pages).save(&options, &mut warnings)
}

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const LEFT: f32 = 22.0;
pub const RIGHT: f32 = 188.0;
pub const BOTTOM: f32 = 22.0;

/// Lays text out top-down on A4 pages.
pub struct Layout {
    font: FontId,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    pub y: f32,
    footer: String,
}

impl Layout {
    pub fn new(font: FontId, footer: String) -> Layout {
        Layout { font, pages: Vec::new(), ops: Vec::new(), y: PAGE_H - 25.0, footer }
    }

    pub fn text_at(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(self.font.clone()), size: Pt(size) },
            Op::SetTextCursor { pos: Point { x: Mm(x).into(), y: Mm(y).into() } },
            Op::ShowText { items: vec![TextItem::Text(text.to_string())] },
            Op::EndTextSection,
        ]);
    }

    pub fn page_break(&mut self) {
        let number = self.pages.len() + 1;
        let footer = format!("{}　第 {number} 页", self.footer);
        self.text_at(LEFT, 12.0, 8.0, &footer);
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = PAGE_H - 25.0;
    }

    pub fn need(&mut self, mm: f32) {
        if self.y - mm < BOTTOM {
            self.page_break();
        }
    }

    /// A line of `size` pt at `x`, wrapped to the right margin; moves down.
    pub fn line(&mut self, x: f32, size: f32, text: &str) {
        let per_mm = size * 0.3528; // one CJK character is about `size` pt wide
        let max_units = (((RIGHT - x) / per_mm) * 2.0).floor().max(4.0) as usize;
        for part in wrap(text, max_units) {
            self.need(size * 0.3528 * 1.6);
            self.y -= size * 0.3528 * 1.6;
            self.text_at(x, self.y, size, &part);
        }
    }

    pub fn heading(&mut self, text: &str) {
        self.need(16.0);
        self.y -= 4.0;
        self.line(LEFT, 13.0, text);
        self.rule();
    }

    pub fn rule(&mut self) {
        self.y -= 2.0;
        self.ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
        self.ops.push(Op::DrawLine {
            line: Line { points: vec![LinePoint { p: Point { x: Mm(LEFT).into(), y: Mm(self.y).into() }, bezier: false }, LinePoint { p: Point { x: Mm(RIGHT).into(), y: Mm(self.y).into() }, bezier: false }], is_closed: false },
        });
    }

    /// Label: value rows, the value wrapped beside the label.
    pub fn rows(&mut self, rows: &[(String, String)]) {
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

    pub fn qr(&mut self, x: f32, top: f32, size_mm: f32, data: &str) {
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

    pub fn finish(mut self) -> Vec<Vec<Op>> {
        if !self.ops.is_empty() {
            self.page_break();
        }
        self.pages
    }
}

/// `text` in lines of at most `max_units` (a CJK character counts two, others one).
pub fn wrap(text: &str, max_units: usize) -> Vec<String> {
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

