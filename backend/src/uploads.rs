//! Multipart forms that carry files, and files sent back as downloads. Every part is read
//! within its own limit, a part the form does not name is refused, and an empty file part (what
//! a browser sends when no file was chosen) counts as none.

use std::collections::HashMap;

use actix_web::http::header::{self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue};
use actix_web::HttpResponse;

use crate::error::{push_field_error, AppError, FieldErrors};
use crate::storage::{sniff, Storage};

/// One file as received: the name the sender gave it and its bytes.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// What a form may carry: `file_field` repeated up to `max_files` times, each at most
/// `max_file_bytes`, and the text fields `texts`, each at most its number of bytes.
pub struct Spec<'a> {
    pub file_field: &'a str,
    pub max_files: usize,
    pub max_file_bytes: usize,
    pub texts: &'a [(&'a str, usize)],
}

/// The parts of a form as read: text fields by name (the last of a repeated one) and the files
/// in the order sent.
#[derive(Default)]
pub struct Parts {
    texts: HashMap<String, String>,
    pub files: Vec<Upload>,
}

impl Parts {
    /// The text field `name` as sent ("" when absent).
    pub fn text(&self, name: &str) -> &str {
        self.texts.get(name).map_or("", String::as_str)
    }
}

/// Read `form` as `spec` allows: `unexpected_field` for a part it does not name, `too_large`
/// for a file over its limit, `too_long` for a text over its own, `out_of_range` for too many
/// files, `unreadable_file` when the stream breaks.
pub async fn read(mut form: actix_multipart::Multipart, spec: &Spec<'_>) -> Result<Parts, AppError> {
    use futures_util::StreamExt;
    let mut parts = Parts::default();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| AppError::field(spec.file_field, "unreadable_file", e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        let is_file = name == spec.file_field;
        let limit = if is_file {
            spec.max_file_bytes
        } else {
            match spec.texts.iter().find(|(n, _)| *n == name) {
                Some((_, limit)) => *limit,
                None => return Err(AppError::field(&name, "unexpected_field", "The form carries fields it should not.")),
            }
        };
        if is_file && parts.files.len() >= spec.max_files {
            return Err(AppError::field(&name, "out_of_range", format!("At most {} files.", spec.max_files)));
        }
        let file_name = field.content_disposition().and_then(|cd| cd.get_filename().map(str::to_string)).unwrap_or_default();
        let mut data = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::field(&name, "unreadable_file", e.to_string()))?;
            if data.len() + chunk.len() > limit {
                return Err(if is_file {
                    AppError::field(&name, "too_large", format!("Each file at most {} MB.", limit / (1024 * 1024)))
                } else {
                    AppError::field(&name, "too_long", "This is too long.")
                });
            }
            data.extend_from_slice(&chunk);
        }
        if is_file {
            if !(data.is_empty() && file_name.is_empty()) {
                parts.files.push(Upload { file_name, bytes: data });
            }
        } else {
            parts.texts.insert(name, String::from_utf8_lossy(&data).into_owned());
        }
    }
    Ok(parts)
}

/// The type of each of `files` (PDF, JPEG or PNG) from its bytes, with a field error on `field`
/// when there is none (`required`) and on `field.N` for a file of another type
/// (`unsupported_type`).
pub fn file_types(files: &[Upload], field: &str, fields: &mut FieldErrors) -> Vec<&'static str> {
    if files.is_empty() {
        push_field_error(fields, field, "required", "Attach at least one PDF, JPEG or PNG file.");
    }
    let mut types = Vec::new();
    for (i, f) in files.iter().enumerate() {
        match sniff(&f.bytes) {
            Some(t) if !f.bytes.is_empty() => types.push(t),
            _ => push_field_error(fields, &format!("{field}.{i}"), "unsupported_type", "Files must be PDF, JPEG or PNG (checked from the file's content, not its name)."),
        }
    }
    types
}

/// A file put in storage, before the row that records it is written.
pub struct Stored {
    pub file_name: String,
    pub content_type: &'static str,
    pub size: i64,
    pub sha256: String,
}

/// Put `files` (of the `types` [`file_types`] found) in storage; a file sent without a name is
/// called `{fallback}-N`.
pub async fn store(storage: &Storage, files: Vec<Upload>, types: Vec<&'static str>, fallback: &str) -> Result<Vec<Stored>, AppError> {
    let mut stored = Vec::new();
    for (f, content_type) in files.into_iter().zip(types) {
        let file_name = clean_name(&f.file_name, || format!("{fallback}-{}", stored.len() + 1));
        let size = f.bytes.len() as i64;
        let sha256 = storage.put(f.bytes).await?;
        stored.push(Stored { file_name, content_type, size, sha256 });
    }
    Ok(stored)
}

/// The name a stored file keeps: the last part of the name sent, without control characters,
/// at most 200 characters; `fallback` when nothing is left.
pub fn clean_name(sent: &str, fallback: impl FnOnce() -> String) -> String {
    let name: String = sent.trim().rsplit(['/', '\\']).next().unwrap_or_default().chars().filter(|c| !c.is_control()).take(200).collect();
    if name.trim().is_empty() {
        fallback()
    } else {
        name
    }
}

/// `bytes` sent as a download named `file_name` (an ASCII fallback and the name itself as
/// RFC 6266's `filename*`), never cached.
pub fn download(content_type: String, file_name: &str, bytes: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
    let ascii: String = file_name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue { charset: Charset::Ext("UTF-8".into()), language_tag: None, value: file_name.as_bytes().to_vec() }),
        ],
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header(disposition)
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}
