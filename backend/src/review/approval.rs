//! An award approved after its public notice (DOMAIN.md step 7): the `awards` row written by
//! the step that reaches `approved` (whoever takes it: the lead agency, or the portal when the
//! notice closes clear or the last objection is dismissed), and the approval notice (立项通知),
//! a PDF the company downloads, with the application's verification code checkable at
//! `/verify/<code>`.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;

use super::Case;
use crate::db::schema::{agencies, applications, awards, enterprise_bans, enterprises, notice_items, notices, programs};
use crate::db::{now, DbConn};
use crate::documents::{amount_in_words, beijing, yuan};
use crate::documents::notices::ApprovalData;
use crate::error::AppError;
use crate::principal::Identity;
use crate::state::AppState;

/// Record `case`'s award as approved today, inside the step's write: the amount is the one
/// proposed and put on notice (its reservation of the budget stays until it is paid).
pub fn record_award(conn: &mut DbConn, case: &Case) -> Result<(), AppError> {
    let id = case.row.id;
    let (notice_id, amount): (i64, i64) = notice_items::table.find(id).select((notice_items::notice_id, notice_items::amount_fen)).first(conn)?;
    let t = now();
    diesel::insert_into(awards::table)
        .values((
            awards::application_id.eq(id),
            awards::program_id.eq(case.row.program_id),
            awards::enterprise_id.eq(case.row.enterprise_id),
            awards::notice_id.eq(notice_id),
            awards::amount_fen.eq(amount),
            awards::approved_on.eq(super::today()),
            awards::approved_at.eq(t),
        ))
        .execute(conn)?;
    // Accepted by the program's deadline, or overdue (eligibility then refuses the company new
    // applications to the program).
    let due = super::today().checked_add_months(chrono::Months::new(case.definition.acceptance_months));
    diesel::update(applications::table.find(id)).set((applications::amount_approved_fen.eq(amount), applications::acceptance_due_on.eq(due))).execute(conn)?;
    Ok(())
}

/// Record `case`'s revocation for fraud today, inside the step's write: what was paid becomes
/// the amount to recover, and the company is banned from applying (every program) for the
/// program's `ban_years`, through the day before the same date that many years on.
pub fn record_revocation(conn: &mut DbConn, case: &Case, reason: &str) -> Result<chrono::NaiveDate, AppError> {
    let id = case.row.id;
    let today = super::today();
    diesel::update(awards::table.find(id))
        .set((awards::revoked_on.eq(today), awards::revoke_reason.eq(reason), awards::recover_fen.eq(awards::paid_fen)))
        .execute(conn)?;
    let years = case.definition.ban_years;
    let until = today.checked_add_months(chrono::Months::new(12 * years)).and_then(|d| d.pred_opt()).unwrap_or(today);
    diesel::insert_into(enterprise_bans::table)
        .values((
            enterprise_bans::enterprise_id.eq(case.row.enterprise_id),
            enterprise_bans::program_id.eq(None::<i64>),
            enterprise_bans::starts_on.eq(today),
            enterprise_bans::ends_on.eq(until),
            enterprise_bans::reason.eq(reason),
            enterprise_bans::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(until)
}

/// The approval notice's data for application `id`, if it is approved and `identity` may read
/// it (404 otherwise).
pub fn approval_data(conn: &mut DbConn, state: &AppState, identity: &Identity, id: i64) -> Result<ApprovalData, AppError> {
    let case = super::load_readable(conn, identity, id)?;
    type Row = (i64, NaiveDate, String, String, String, Option<String>, String, String, String, NaiveDate, NaiveDate);
    let row: Option<Row> = awards::table
        .inner_join(notices::table)
        .inner_join(applications::table.inner_join(enterprises::table).inner_join(programs::table.inner_join(agencies::table)))
        .filter(awards::application_id.eq(id))
        .select((
            awards::amount_fen,
            awards::approved_on,
            enterprises::name_zh,
            enterprises::credit_code,
            applications::title,
            applications::verification_code,
            programs::code,
            programs::title_zh,
            agencies::name_zh,
            notices::published_on,
            notices::closes_on,
        ))
        .first(conn)
        .optional()?;
    let (amount, approved_on, company, credit_code, title, code, program_code, program_title, agency, published_on, closes_on) = row.ok_or(AppError::NotFound("the approval notice"))?;
    let code = code.unwrap_or_default();
    // One tranche is paid at once; several are listed (the balance after acceptance).
    let tranches = if case.definition.tranches.len() > 1 { case.definition.tranches.iter().map(|p| format!("{p}%")).collect::<Vec<_>>().join(" / ") } else { String::new() };
    Ok(ApprovalData {
        application_id: id,
        company_name: company,
        credit_code,
        project_title: title,
        program_code,
        program_title,
        agency_name: agency,
        amount_figures: yuan(amount),
        amount_words: amount_in_words(amount),
        approved_on: approved_on.format("%Y年%m月%d日").to_string(),
        notice_window: format!("{} 至 {}", published_on.format("%Y-%m-%d"), closes_on.format("%Y-%m-%d")),
        tranches,
        verify_url: state.link(&format!("/verify/{code}")),
        verification_code: code,
        issued_at: beijing(now()),
    })
}

/// The approval notice (立项通知) of an approved award, for the company (and the staff who may
/// read the application). Each download is recorded with the document's SHA-256, which
/// `/verify/<code>` lists.
#[utoipa::path(get, path = "/api/v1/applications/{id}/approval.pdf", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, description = "The approval notice (立项通知)", content((Vec<u8> = "application/pdf"))),
        (status = 401, description = "`unauthenticated`"), (status = 404, description = "`not_found`: no such application, not one the caller may read, or not approved")))]
#[get("/applications/{id}/approval.pdf")]
pub async fn get_approval_notice(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (who, st) = (identity.clone(), state.clone());
    let data = state.db.run(move |conn| approval_data(conn, &st, &who, id)).await?;
    let code = data.verification_code.clone();
    let bytes = web::block(move || crate::documents::notices::approval_pdf(&data)).await.map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))??;
    crate::documents::issue(&state, &req, identity.user_id, id, "approval_notice", "approval_notice_downloaded", format!("approval-{code}.pdf"), bytes).await
}
