//! Company documents: business licence scans and certificates as PDF, JPEG or PNG up to 20 MB.
//! The type is checked from the file's bytes (its magic number), never its name; the bytes go
//! to the storage layer under their SHA-256; downloads are served only to those who may see
//! the company (its people, the park managers of its bases, admins).

use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use shared::registry::{DocumentView, DOCUMENT_KINDS};
use std::collections::BTreeMap;
use utoipa::IntoParams;

use crate::accounts::audit::{record, Event, RequestMeta};
use crate::accounts::identity::Identity;
use crate::scope::CompanyScope;
use crate::accounts::members::get_enterprise_scoped;
use crate::accounts::now;
use crate::db::schema::{enterprise_changes, enterprise_documents};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

pub use crate::storage::{sniff, MAX_DOCUMENT_BYTES};

type Row = (i64, String, String, String, i64, String, NaiveDateTime);

pub fn list(conn: &mut DbConn, identity: &Identity, enterprise_id: i64) -> Result<Vec<DocumentView>, AppError> {
    get_enterprise_scoped(conn, identity, enterprise_id)?;
    list_of(conn, enterprise_id)
}

/// The company's documents, for a caller that has already proved its scope.
fn list_of(conn: &mut DbConn, enterprise_id: i64) -> Result<Vec<DocumentView>, AppError> {
    let rows: Vec<Row> = enterprise_documents::table
        .filter(enterprise_documents::enterprise_id.eq(enterprise_id))
        .filter(enterprise_documents::deleted_at.is_null())
        .select((
            enterprise_documents::id,
            enterprise_documents::kind,
            enterprise_documents::file_name,
            enterprise_documents::content_type,
            enterprise_documents::size_bytes,
            enterprise_documents::sha256,
            enterprise_documents::uploaded_at,
        ))
        .order(enterprise_documents::id.desc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, file_name, content_type, size_bytes, sha256, at)| DocumentView { id, kind, file_name, content_type, size_bytes, sha256, uploaded_at: at.and_utc() })
        .collect())
}

fn record_change(conn: &mut DbConn, enterprise_id: i64, user_id: i64, old: &str, new: &str) -> QueryResult<()> {
    let mut m = BTreeMap::new();
    m.insert("documents", (old.to_string(), new.to_string()));
    diesel::insert_into(enterprise_changes::table)
        .values((
            enterprise_changes::enterprise_id.eq(enterprise_id),
            enterprise_changes::changed_at.eq(now()),
            enterprise_changes::user_id.eq(user_id),
            enterprise_changes::changes.eq(serde_json::to_string(&m).unwrap_or_default()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Check and store an upload for a company (its administrator).
/// Store a document for the company `scope` names (an administrator who may file:
/// `CompanyScope::filing(.., true)`).
pub async fn upload(state: &AppState, meta: &RequestMeta, scope: &CompanyScope, kind: &str, file_name: &str, bytes: Vec<u8>) -> Result<DocumentView, AppError> {
    let enterprise_id = scope.enterprise_id();
    if !DOCUMENT_KINDS.contains(&kind) {
        return Err(AppError::field("kind", "not_allowed", "kind must be business_licence, certificate or other"));
    }
    if bytes.is_empty() {
        return Err(AppError::field("file", "required", "Choose a file."));
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(AppError::field("file", "too_large", "At most 20 MB."));
    }
    let content_type = sniff(&bytes).ok_or_else(|| AppError::field("file", "unsupported_type", "The file is not a PDF, JPEG or PNG (checked from its content, not its name)."))?;
    let file_name: String = file_name.trim().rsplit(['/', '\\']).next().unwrap_or_default().chars().filter(|c| !c.is_control()).take(200).collect();
    let file_name = if file_name.is_empty() { format!("document.{}", content_type.rsplit('/').next().unwrap_or("bin")) } else { file_name };
    let size = bytes.len() as i64;
    let sha = state.storage.put(bytes).await?;
    let (user_id, kind, meta) = (scope.user_id(), kind.to_string(), meta.clone());
    let id = state
        .db
        .write(move |conn| {
            let t = now();
            let id: i64 = diesel::insert_into(enterprise_documents::table)
                .values((
                    enterprise_documents::enterprise_id.eq(enterprise_id),
                    enterprise_documents::kind.eq(&kind),
                    enterprise_documents::file_name.eq(&file_name),
                    enterprise_documents::content_type.eq(content_type),
                    enterprise_documents::size_bytes.eq(size),
                    enterprise_documents::sha256.eq(&sha),
                    enterprise_documents::uploaded_by.eq(user_id),
                    enterprise_documents::uploaded_at.eq(t),
                ))
                .returning(enterprise_documents::id)
                .get_result(conn)?;
            record_change(conn, enterprise_id, user_id, "", &format!("+ {kind} {file_name}"))?;
            let detail = serde_json::json!({ "enterprise_id": enterprise_id, "kind": kind, "file_name": file_name, "sha256": sha, "bytes": size });
            record(conn, &meta, Event::new("document_uploaded").actor(user_id).object("document", id).detail(detail))?;
            Ok::<_, AppError>(id)
        })
        .await?;
    state
        .db
        .run(move |conn| list_of(conn, enterprise_id)?.into_iter().find(|d| d.id == id).ok_or(AppError::NotFound("the document")))
        .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadQuery {
    /// `business_licence`, `certificate` or `other`.
    pub kind: String,
    /// The original file name (shown to people; the type is checked from the bytes).
    pub file_name: String,
}

/// Upload a document: the request body is the file (PDF, JPEG or PNG, up to 20 MB).
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/documents", tag = "registry", params(("id" = i64, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = DocumentView), (status = 403), (status = 422, description = "unsupported_type, too_large")))]
#[post("/enterprises/{id}/documents")]
pub async fn post_document(state: web::Data<AppState>, req: actix_web::HttpRequest, identity: Identity, path: web::Path<i64>, q: web::Query<UploadQuery>, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let scope = CompanyScope::filing(&identity, path.into_inner(), true)?;
    let doc = upload(&state, &RequestMeta::from_request(&req), &scope, &q.kind, &q.file_name, body.to_vec()).await?;
    Ok(HttpResponse::Created().json(doc))
}

/// A company's documents.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/documents", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DocumentView>), (status = 404)))]
#[get("/enterprises/{id}/documents")]
pub async fn get_documents(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<web::Json<Vec<DocumentView>>, AppError> {
    let id = path.into_inner();
    Ok(web::Json(state.db.run(move |conn| list(conn, &identity, id)).await?))
}

/// Download a document (whoever may see its company; others get 404).
#[utoipa::path(get, path = "/api/v1/documents/{id}/file", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, description = "The file as uploaded (its type was checked from its bytes)",
        content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))), (status = 404)))]
#[get("/documents/{id}/file")]
pub async fn get_document_file(state: web::Data<AppState>, req: actix_web::HttpRequest, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let meta = crate::accounts::audit::RequestMeta::from_request(&req);
    let (sha, content_type, file_name) = state
        .db
        .write_bookkeeping(move |conn| {
            let row: Option<(i64, String, String, String)> = enterprise_documents::table
                .filter(enterprise_documents::id.eq(id))
                .filter(enterprise_documents::deleted_at.is_null())
                .select((enterprise_documents::enterprise_id, enterprise_documents::sha256, enterprise_documents::content_type, enterprise_documents::file_name))
                .first(conn)
                .optional()?;
            let (enterprise_id, sha, ct, name) = row.ok_or(AppError::NotFound("the document"))?;
            get_enterprise_scoped(conn, &identity, enterprise_id).map_err(|_| AppError::NotFound("the document"))?;
            crate::accounts::audit::record(
                conn,
                &meta,
                crate::accounts::audit::Event::new("document_downloaded")
                    .actor(identity.user_id)
                    .detail(serde_json::json!({ "document_id": id, "enterprise_id": enterprise_id, "file_name": name })),
            )?;
            Ok((sha, ct, name))
        })
        .await?;
    let bytes = state.storage.get(&sha).await?;
    let ascii: String = file_name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let encoded: String = file_name.bytes().map(|b| if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// Remove a document from the company's list (its administrator); the history keeps it.
#[utoipa::path(delete, path = "/api/v1/enterprises/{id}/documents/{doc}", tag = "registry", params(("id" = i64, Path), ("doc" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404)))]
#[delete("/enterprises/{id}/documents/{doc}")]
pub async fn delete_document(state: web::Data<AppState>, req: actix_web::HttpRequest, identity: Identity, path: web::Path<(i64, i64)>) -> Result<HttpResponse, AppError> {
    let (enterprise_id, doc) = path.into_inner();
    let scope = CompanyScope::of(&identity, enterprise_id, true)?;
    let (user_id, meta) = (scope.user_id(), RequestMeta::from_request(&req));
    state
        .db
        .write(move |conn| {
            let name: Option<String> = enterprise_documents::table
                .filter(enterprise_documents::id.eq(doc))
                .filter(enterprise_documents::enterprise_id.eq(enterprise_id))
                .filter(enterprise_documents::deleted_at.is_null())
                .select(enterprise_documents::file_name)
                .first(conn)
                .optional()?;
            let name = name.ok_or(AppError::NotFound("the document"))?;
            diesel::update(enterprise_documents::table.filter(enterprise_documents::id.eq(doc))).set(enterprise_documents::deleted_at.eq(now())).execute(conn)?;
            record_change(conn, enterprise_id, user_id, &name, "")?;
            let detail = serde_json::json!({ "enterprise_id": enterprise_id, "file_name": name });
            record(conn, &meta, Event::new("document_deleted").actor(user_id).object("document", doc).detail(detail))?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
