//! `POST /api/v1/applications/{id}/materials` (multipart: `material_code`, `file`) and the
//! download of an uploaded material.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use shared::applications::ApplicationState;

use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{application_materials, applications};
use crate::db::now;
use crate::error::AppError;
use crate::principal::Identity;
use crate::state::AppState;
use crate::storage::{sniff, MAX_DOCUMENT_BYTES};

/// The extension a material's `types` lists for a content type.
fn type_name(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "",
    }
}

/// Store `bytes` as material `code` of application `id` (replacing an earlier file). The caller
/// is checked before this is called; the checks here are the material's: on the checklist
/// (422 `unknown_material`), a type it allows by the bytes (422 `unsupported_type`), its size
/// (422 `too_large`), and a draft, or a material flagged in a return for supplement (409
/// `not_a_draft` otherwise).
pub async fn upload(state: &AppState, meta: &RequestMeta, identity: &Identity, id: i64, code: &str, file_name: &str, bytes: Vec<u8>) -> Result<(), AppError> {
    let who = identity.clone();
    let flagged_code = code.trim().to_string();
    let (s, flagged) = state
        .db
        .run(move |conn| {
            let s = super::load_scoped(conn, &who, id, true)?;
            let flagged = crate::review::actions::material_flagged(conn, id, &flagged_code)?;
            Ok::<_, AppError>((s, flagged))
        })
        .await?;
    if s.row.state() != ApplicationState::Draft && !flagged {
        return Err(super::draft::not_a_draft());
    }
    let spec = s.definition.material(code.trim()).cloned().ok_or_else(|| AppError::field("material_code", "unknown_material", "This program's checklist has no such material."))?;
    if bytes.is_empty() {
        return Err(AppError::field("file", "required", "Choose a file."));
    }
    if bytes.len() as u64 > spec.max_bytes {
        return Err(AppError::field("file", "too_large", format!("At most {} MB.", spec.max_bytes / (1024 * 1024))));
    }
    let content_type = sniff(&bytes).filter(|ct| spec.types.iter().any(|t| t == type_name(ct))).ok_or_else(|| {
        AppError::field("file", "unsupported_type", format!("This material must be {} (checked from the file's content, not its name).", spec.types.join(", ")))
    })?;
    let file_name: String = file_name.trim().rsplit(['/', '\\']).next().unwrap_or_default().chars().filter(|c| !c.is_control()).take(200).collect();
    let file_name = if file_name.is_empty() { format!("{}.{}", spec.code, type_name(content_type)) } else { file_name };
    let size = bytes.len() as i64;
    let sha = state.storage.put(bytes).await?;
    let (meta, user, code) = (meta.clone(), s.user_id, spec.code.clone());
    state
        .db
        .write(move |conn| {
            // Still a draft (or the material still flagged for supplement) now, inside the
            // write: it may have been submitted or resubmitted meanwhile.
            let draft: i64 = applications::table.find(id).filter(applications::state.eq(ApplicationState::Draft.code())).count().get_result(conn)?;
            if draft == 0 && !crate::review::actions::material_flagged(conn, id, &code)? {
                return Err(super::draft::not_a_draft());
            }
            diesel::delete(application_materials::table.filter(application_materials::application_id.eq(id)).filter(application_materials::material_code.eq(&code))).execute(conn)?;
            diesel::insert_into(application_materials::table)
                .values((
                    application_materials::application_id.eq(id),
                    application_materials::material_code.eq(&code),
                    application_materials::file_name.eq(&file_name),
                    application_materials::content_type.eq(content_type),
                    application_materials::size_bytes.eq(size),
                    application_materials::sha256.eq(&sha),
                    application_materials::uploaded_at.eq(now()),
                    application_materials::uploaded_by.eq(user),
                ))
                .execute(conn)?;
            diesel::update(applications::table.find(id)).set(applications::updated_at.eq(now())).execute(conn)?;
            let detail = serde_json::json!({ "material_code": code, "file_name": file_name, "sha256": sha, "bytes": size });
            record(conn, &meta, Event::new("material_uploaded").actor(user).object("application", id).detail(detail))?;
            Ok(())
        })
        .await
}

/// The fields of a material upload: `material_code` (text) and `file`, each within its limit.
pub async fn read_form(form: actix_multipart::Multipart) -> Result<(String, String, Vec<u8>), AppError> {
    let spec = crate::uploads::Spec { file_field: "file", max_files: 1, max_file_bytes: MAX_DOCUMENT_BYTES, texts: &[("material_code", 100)] };
    let mut parts = crate::uploads::read(form, &spec).await?;
    let code = parts.text("material_code").trim().to_string();
    if code.is_empty() {
        return Err(AppError::field("material_code", "required", "Name the material."));
    }
    let file = parts.files.pop().map(|f| (f.file_name, f.bytes)).unwrap_or_default();
    Ok((code, file.0, file.1))
}

/// Upload a material of a draft (multipart form: `material_code`, then `file`). Replaces an
/// earlier file of the same material. The type is checked from the bytes.
#[utoipa::path(post, path = "/api/v1/applications/{id}/materials", tag = "applications", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "`material_code`: a code of the program's checklist; `file`: PDF, JPEG or PNG as the material allows"),
    responses((status = 200, body = shared::applications::ApplicationView), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`email_unverified`"), (status = 404, description = "`not_found`"), (status = 409, description = "`not_a_draft`"),
        (status = 422, description = "`unknown_material`, `unsupported_type`, `too_large`, `required`, `unexpected_field`, `unreadable_file`")))]
#[post("/applications/{id}/materials")]
pub async fn post_material(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, form: actix_multipart::Multipart) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    // Who may upload is checked before the upload is read.
    let who = identity.clone();
    state.db.run(move |conn| super::load_scoped(conn, &who, id, true).map(|_| ())).await?;
    let (code, name, bytes) = read_form(form).await?;
    upload(&state, &RequestMeta::from_request(&req), &identity, id, &code, &name, bytes).await?;
    Ok(HttpResponse::Ok().json(super::view_after(&state, identity, id).await?))
}

/// `?inline=true`: shown in the browser (the review page frames PDFs and shows images) rather
/// than downloaded.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct MaterialQuery {
    #[serde(default)]
    pub inline: bool,
}

/// Download an uploaded material (the application's company, and the staff and confirmed
/// experts who review it; others get 404). With `inline=true` it is shown in the browser.
#[utoipa::path(get, path = "/api/v1/applications/{id}/materials/{code}", tag = "applications", params(("id" = i64, Path), ("code" = String, Path), MaterialQuery),
    responses((status = 200, description = "The file as uploaded", content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))),
        (status = 401, description = "`unauthenticated`"), (status = 404, description = "`not_found`"), (status = 422, description = "`query` invalid: `inline` is true or false")))]
#[get("/applications/{id}/materials/{code}")]
pub async fn get_material(state: web::Data<AppState>, identity: Identity, path: web::Path<(i64, String)>, q: web::Query<MaterialQuery>) -> Result<HttpResponse, AppError> {
    let (id, code) = path.into_inner();
    let (sha, content_type, file_name) = state
        .db
        .run(move |conn| {
            super::load_scoped(conn, &identity, id, false)?;
            application_materials::table
                .filter(application_materials::application_id.eq(id))
                .filter(application_materials::material_code.eq(&code))
                .select((application_materials::sha256, application_materials::content_type, application_materials::file_name))
                .first::<(String, String, String)>(conn)
                .optional()?
                .ok_or(AppError::NotFound("the material"))
        })
        .await?;
    let bytes = state.storage.get(&sha).await?;
    let ascii: String = file_name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CONTENT_TYPE, content_type)).insert_header((header::CACHE_CONTROL, "private, no-store"));
    if q.inline {
        // Shown in the portal's own review page (a frame of the same origin), never run as a
        // page of its own: nothing in it may load anything or script.
        res.insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{ascii}\"")))
            .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"))
            .insert_header((header::X_FRAME_OPTIONS, "SAMEORIGIN"));
    } else {
        res.insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"")));
    }
    Ok(res.body(bytes))
}
