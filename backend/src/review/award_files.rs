//! The files kept with an award beside its text: the acceptance report (验收报告) the lead
//! agency's staff attach while the award is being paid, and the evidence behind a revocation
//! for fraud, which the lead agency's agency lead attaches before or after revoking. Typed from
//! their bytes, in storage by SHA-256, each upload audited. Everyone who may read the
//! application sees the acceptance report; the revocation's evidence is for the agencies'
//! staff and admins only (it may name who reported the fraud): the company is told the reason.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use shared::applications::ApplicationState;
use shared::awards::{AwardFileView, AwardView, AWARD_FILE_KINDS, MAX_AWARD_FILES, MAX_EVIDENCE_BYTES, MAX_FILES_PER_UPLOAD};
use shared::review::Role;

use super::Case;
use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::award_files;
use crate::db::{now, DbConn};
use crate::error::{push_field_error, AppError, FieldErrors};
use crate::principal::Identity;
use crate::state::AppState;
use crate::uploads;

/// The roles that may add files of `kind`, and the states the award may be in.
fn rule(kind: &str) -> (&'static [Role], &'static [ApplicationState]) {
    if kind == "revocation_evidence" {
        (&[Role::AgencyLead], &[ApplicationState::Approved, ApplicationState::Disbursement, ApplicationState::Revoked])
    } else {
        (&[Role::Reviewer, Role::AgencyLead], &[ApplicationState::Approved, ApplicationState::Disbursement])
    }
}

/// Whether `identity` reads `case` as the agencies' staff (or a system admin): the only readers
/// of a revocation's evidence.
pub fn agency_staff(identity: &Identity, case: &Case) -> bool {
    identity.is_admin() || super::parts(identity, case).iter().any(|p| matches!(p.role, Role::Reviewer | Role::AgencyLead | Role::CoReviewLead | Role::Finance))
}

/// Every file kept with award `id`, oldest first.
pub fn list(conn: &mut DbConn, id: i64) -> Result<Vec<AwardFileView>, AppError> {
    let rows: Vec<(i64, String, String, String, i64, chrono::NaiveDateTime)> = award_files::table
        .filter(award_files::application_id.eq(id))
        .order(award_files::id)
        .select((award_files::id, award_files::kind, award_files::file_name, award_files::content_type, award_files::size_bytes, award_files::uploaded_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, file_name, content_type, size_bytes, at)| AwardFileView { id, kind, file_name, content_type, size_bytes, uploaded_at: at.and_utc() })
        .collect())
}

/// `award` as `identity` may see it: without the revocation's evidence unless agency staff.
pub fn for_reader(identity: &Identity, case: &Case, mut award: AwardView) -> AwardView {
    if !agency_staff(identity, case) {
        award.files.retain(|f| f.kind != "revocation_evidence");
    }
    award
}

/// The kind and files of an upload, checked before anything is stored.
fn check(kind: &str, files: &[uploads::Upload]) -> Result<Vec<&'static str>, AppError> {
    let mut fields = FieldErrors::new();
    if kind.is_empty() {
        push_field_error(&mut fields, "kind", "required", "Say what the files are: acceptance_report or revocation_evidence.");
    } else if !AWARD_FILE_KINDS.contains(&kind) {
        push_field_error(&mut fields, "kind", "invalid", "acceptance_report or revocation_evidence.");
    }
    let types = uploads::file_types(files, "file", &mut fields);
    if fields.is_empty() {
        Ok(types)
    } else {
        Err(AppError::Validation(fields))
    }
}

/// The upload's write: the award locked, who and when checked again, at most
/// `MAX_AWARD_FILES` of the kind, the rows and the audit record.
fn add(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, kind: &str, stored: &[uploads::Stored]) -> Result<AwardView, AppError> {
    let (roles, states) = rule(kind);
    let (case, part) = super::payments::locked(conn, identity, id, roles)?;
    if !states.contains(&case.state()) {
        return Err(super::refusal_error(shared::review::Refusal::NotAllowed));
    }
    let held: i64 = award_files::table.filter(award_files::application_id.eq(id)).filter(award_files::kind.eq(kind)).count().get_result(conn)?;
    if held as usize + stored.len() > MAX_AWARD_FILES {
        return Err(AppError::field("file", "out_of_range", format!("An award keeps at most {MAX_AWARD_FILES} files of a kind; {held} are kept.")));
    }
    let t = now();
    for f in stored {
        diesel::insert_into(award_files::table)
            .values((
                award_files::application_id.eq(id),
                award_files::kind.eq(kind),
                award_files::file_name.eq(&f.file_name),
                award_files::content_type.eq(f.content_type),
                award_files::size_bytes.eq(f.size),
                award_files::sha256.eq(&f.sha256),
                award_files::uploaded_by.eq(identity.user_id),
                award_files::uploaded_at.eq(t),
            ))
            .execute(conn)?;
    }
    let names: Vec<&str> = stored.iter().map(|f| f.file_name.as_str()).collect();
    let note = names.join(", ");
    super::history(conn, id, "award_files_added", (None, None), Some(&part), Some(identity.user_id), case.round(), Some(&note), kind == "revocation_evidence")?;
    let detail = serde_json::json!({ "kind": kind, "files": names, "sha256": stored.iter().map(|f| f.sha256.as_str()).collect::<Vec<_>>(), "role": super::role_name(part.role) });
    record(conn, meta, Event::new("award_files_added").actor(identity.user_id).object("application", id).detail(detail))?;
    super::payments::view(conn, &case)
}

/// Add files to an award: `kind` (`acceptance_report`, by the lead agency's staff while the
/// award is being paid; `revocation_evidence`, by its agency lead, also after the revocation)
/// and 1 to 5 `file`s (PDF, JPEG or PNG by their bytes, each at most 10 MB). An award keeps at
/// most 10 files of a kind. Who may is checked before the files are read.
#[utoipa::path(post, path = "/api/v1/applications/{id}/award-files", tag = "awards", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "`kind`: `acceptance_report` or `revocation_evidence`; `file`: 1 to 5 files"),
    responses((status = 201, body = AwardView, description = "Kept; the award now"), (status = 401, description = "`unauthenticated`"),
        (status = 403, description = "`action_not_allowed`: not the lead agency's staff (its agency lead for evidence), or not at this stage"),
        (status = 404, description = "`not_found`: no such application, not one the caller may read, or no award"),
        (status = 422, description = "`kind` `required` or `invalid`; `file` `required`, `too_large` or `out_of_range` (too many); `file.N` `unsupported_type`; `unexpected_field`; `unreadable_file`")))]
#[post("/applications/{id}/award-files")]
pub async fn post_award_files(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, form: actix_multipart::Multipart) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::from_request(&req);
    Ok(HttpResponse::Created().json(upload(&state, &meta, identity, path.into_inner(), form).await?))
}

/// [`post_award_files`]'s work, for the API and the page's form alike.
pub async fn upload(state: &AppState, meta: &RequestMeta, identity: Identity, id: i64, form: actix_multipart::Multipart) -> Result<AwardView, AppError> {
    // Only the lead agency's staff get as far as sending their files.
    let who = identity.clone();
    state
        .db
        .run(move |conn| {
            let case = super::load_readable(conn, &who, id)?;
            let awarded: i64 = crate::db::schema::awards::table.find(id).count().get_result(conn)?;
            if awarded == 0 {
                return Err(AppError::NotFound("the award"));
            }
            match super::parts(&who, &case).iter().any(|p| matches!(p.role, Role::Reviewer | Role::AgencyLead)) {
                true => Ok(()),
                false => Err(super::refusal_error(shared::review::Refusal::NotAllowed)),
            }
        })
        .await?;
    let spec = uploads::Spec { file_field: "file", max_files: MAX_FILES_PER_UPLOAD, max_file_bytes: MAX_EVIDENCE_BYTES, texts: &[("kind", 100)] };
    let parts = uploads::read(form, &spec).await?;
    let kind = parts.text("kind").trim().to_string();
    let types = check(&kind, &parts.files)?;
    let stored = uploads::store(&state.storage, parts.files, types, &kind).await?;
    let meta = meta.clone();
    state.db.write(move |conn| add(conn, &meta, &identity, id, &kind, &stored)).await
}

/// A file kept with an award: the acceptance report for whoever may read the application, the
/// revocation's evidence for the agencies' staff (404 for anyone else). Reading evidence is
/// recorded.
#[utoipa::path(get, path = "/api/v1/applications/{id}/award-files/{file_id}", tag = "awards", params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, description = "The file as kept", content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))),
        (status = 401, description = "`unauthenticated`"), (status = 404, description = "`not_found`")))]
#[get("/applications/{id}/award-files/{file_id}")]
pub async fn get_award_file(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<(i64, i64)>) -> Result<HttpResponse, AppError> {
    let (id, file_id) = path.into_inner();
    let who = identity.clone();
    let (sha, content_type, file_name, kind) = state
        .db
        .run(move |conn| {
            let case = super::load_readable(conn, &who, id).map_err(|_| AppError::NotFound("the file"))?;
            let row: (String, String, String, String) = award_files::table
                .filter(award_files::application_id.eq(id))
                .filter(award_files::id.eq(file_id))
                .select((award_files::sha256, award_files::content_type, award_files::file_name, award_files::kind))
                .first(conn)
                .optional()?
                .ok_or(AppError::NotFound("the file"))?;
            if row.3 == "revocation_evidence" && !agency_staff(&who, &case) {
                return Err(AppError::NotFound("the file"));
            }
            Ok(row)
        })
        .await?;
    let bytes = state.storage.get(&sha).await?;
    if kind == "revocation_evidence" {
        let (meta, user) = (RequestMeta::from_request(&req), identity.user_id);
        let detail = serde_json::json!({ "file_id": file_id, "kind": kind });
        state.db.write_bookkeeping(move |conn| record(conn, &meta, Event::new("award_file_downloaded").actor(user).object("application", id).detail(detail.clone())).map_err(AppError::from)).await?;
    }
    Ok(uploads::download(content_type, &file_name, bytes))
}
