//! `POST /api/v1/applications/{id}/submit`: submit a draft, once, while the call is open.

use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use shared::applications::{ApplicationState, SubmitApplication, DECLARATIONS};
use shared::errors::FieldErrors;
use shared::programs::RecommendingUnit;
use shared::registry::TenancyStatus;

use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{agencies, applications, bases, enterprises, tenancies};
use crate::db::{now, DbConn};
use crate::error::{push_field_error, AppError};
use crate::notify::outbox::{enqueue, Mail};
use crate::principal::Identity;
use crate::state::AppState;

/// The states in which an application holds its place in the call and its keys: submitted,
/// and not withdrawn or rejected (drafts do not count).
pub fn live_codes() -> Vec<i32> {
    ApplicationState::ALL.iter().filter(|s| s.live()).map(|s| s.code()).collect()
}

/// 409 `already_applied` when the company has a live application under the program (other than
/// `except`).
pub fn refuse_if_applied(conn: &mut DbConn, program_id: i64, enterprise_id: i64, except: Option<i64>) -> Result<(), AppError> {
    let mut q = applications::table
        .filter(applications::program_id.eq(program_id))
        .filter(applications::enterprise_id.eq(enterprise_id))
        .filter(applications::state.eq_any(live_codes()))
        .select(applications::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(applications::id.ne(id));
    }
    if q.first::<i64>(conn).optional()?.is_some() {
        return Err(already_applied());
    }
    Ok(())
}

fn already_applied() -> AppError {
    AppError::Conflict { code: "already_applied", message: "Your company already has an application under this program call.".into() }
}


/// Submit application `id`, inside the caller's write. In this order: a draft (409
/// `not_a_draft`), the call open on the portal's clock (409 `call_closed`), a verified company
/// (409 `company_not_verified`), the eligibility rules (409 `not_eligible`, the failed rules in
/// `fields`), a complete project and every required material (422), one per company per call
/// (409 `already_applied`), no duplicate funding (409 `duplicate_funding`, the matched numbers in
/// `fields`). The declarations are checked with the project (422 `required` on
/// `declarations.<code>`) and stored with the submission. `link` makes the emailed link from a
/// path (`AppState::link`).
pub fn submit(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, id: i64, declared: &SubmitApplication, link: &dyn Fn(&str) -> String) -> Result<(), AppError> {
    let s = super::load_scoped(conn, identity, id, true)?;
    let def = &s.definition;
    if s.row.state() != ApplicationState::Draft {
        return Err(super::draft::not_a_draft());
    }
    let t = now();
    // The call as it is now: the current version's window (an extension applies to drafts of
    // earlier versions too).
    let current = crate::programs::load(conn, &s.program_code)?;
    if !current.definition.call_open_at(t.and_utc()) {
        return Err(AppError::Conflict { code: "call_closed", message: "The call for this program is not open.".into() });
    }
    let enterprise_id = s.row.enterprise_id;
    let today = crate::clock::beijing_date(t);
    let facts = crate::programs::eligibility::facts(conn, enterprise_id, s.row.program_id, def, today)?;
    if !facts.verified {
        return Err(AppError::Conflict { code: "company_not_verified", message: "Your company's registration must be verified before it can submit.".into() });
    }
    let failed = def.eligibility.check(&facts, today);
    if !failed.is_empty() {
        let mut fields = FieldErrors::new();
        for rule in &failed {
            push_field_error(&mut fields, &format!("eligibility.{}", rule.code()), "not_eligible", rule.message("en", &|c| c.to_string()));
        }
        return Err(AppError::Refused { code: "not_eligible", message: "Your company does not meet this program's eligibility rules.".into(), fields });
    }
    let project = super::project_of(&s.row, def);
    let materials = super::materials_of(conn, id, def)?;
    let problems = super::problems(&project, &materials, def, today);
    let undeclared = declared.missing();
    if !problems.is_empty() || !undeclared.is_empty() {
        let mut fields = FieldErrors::new();
        for p in &problems {
            push_field_error(&mut fields, &p.field, &p.code, format!("{}: {}", p.field, p.code));
        }
        for d in &undeclared {
            push_field_error(&mut fields, d, "required", "This declaration must be made to submit.");
        }
        return Err(AppError::Validation(fields));
    }
    let declarations = serde_json::to_string(&DECLARATIONS).map_err(|e| AppError::Internal(e.into()))?;
    refuse_if_applied(conn, s.row.program_id, enterprise_id, Some(id))?;
    let keys = project.funding_keys();
    let matched = crate::funding::duplicate_funding(conn, id, &keys)?;
    if !matched.is_empty() {
        return Err(AppError::Refused { code: "duplicate_funding", message: "The same project is already in another open or funded application.".into(), fields: matched });
    }
    let (base, agency) = recommending_unit(conn, enterprise_id, def)?;
    let amount = project.amount(&def.amount).map(|w| w.amount_fen);
    let to = ApplicationState::RecommendingReview;
    // The recommending unit's time limit starts today.
    let calendar = crate::calendar::load(conn)?;
    let due = crate::review::due_after(&calendar, today, def.stage_limits.recommending);
    let changed = diesel::update(applications::table.find(id).filter(applications::state.eq(ApplicationState::Draft.code())))
        .set((
            applications::state.eq(to.code()),
            applications::submitted_at.eq(t),
            applications::updated_at.eq(t),
            applications::computed_amount_fen.eq(amount),
            applications::amount_requested_fen.eq(amount.unwrap_or(0)),
            applications::recommending_base_id.eq(base),
            applications::recommending_agency_id.eq(agency),
            applications::declarations.eq(&declarations),
            applications::stage_entered_on.eq(today),
            applications::stage_due_on.eq(due),
        ))
        .execute(conn)
        .map_err(|e| match e {
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => already_applied(),
            other => other.into(),
        })?;
    if changed == 0 {
        return Err(super::draft::not_a_draft());
    }
    crate::funding::activate_keys(conn, id, &keys)?;
    super::event(conn, id, "submitted", Some(ApplicationState::Draft), Some(to), s.user_id, None)?;
    let detail = serde_json::json!({ "program_code": s.program_code, "enterprise_id": enterprise_id, "computed_amount_fen": amount, "recommending_base_id": base, "recommending_agency_id": agency, "declarations": DECLARATIONS });
    record(conn, meta, Event::new("application_submitted").actor(s.user_id).object("application", id).detail(detail))?;
    if let Some(due) = due {
        crate::review::deadlines::schedule(conn, &calendar, id, 0, to, due, def.stage_limits.remind_before)?;
    }
    // The recommending unit hears that it arrived.
    if let Some(case) = crate::review::load_case(conn, id)? {
        let holders = crate::review::notices::holders(conn, &case)?;
        let notice = crate::review::notices::Notice { kind: shared::notifications::NoticeKind::WorkArrived, application_id: id, stage: to, note: None, due };
        crate::review::notices::send(conn, &link(""), &holders, &notice)?;
    }
    // The company's administrators hear of it, in their language; sent once this commits.
    let company: String = enterprises::table.find(enterprise_id).select(enterprises::name_zh).first(conn)?;
    let code = s.row.verification_code.clone().unwrap_or_default();
    let link = link(&format!("/applications/{id}"));
    for (email, name, locale) in crate::accounts::members::admin_recipients(conn, enterprise_id)? {
        let program = if locale == "en" { &def.title.en } else { &def.title.zh };
        let mail = Mail::ApplicationSubmitted { name: &name, company: &company, program, code: &code, link: &link };
        enqueue(conn, &email, &locale, mail)?;
    }
    Ok(())
}

/// Who pre-reviews: the base the company is an admitted tenant of (one the program names, if
/// it names any), or the government of the district it is registered in.
fn recommending_unit(conn: &mut DbConn, enterprise_id: i64, def: &shared::programs::ProgramDefinition) -> Result<(Option<i64>, Option<i64>), AppError> {
    match def.recommending_unit {
        RecommendingUnit::Base => {
            let admitted: Vec<(i64, String)> = tenancies::table
                .inner_join(bases::table)
                .filter(tenancies::enterprise_id.eq(enterprise_id))
                .filter(tenancies::status.eq(TenancyStatus::Admitted.code()))
                .order(tenancies::id)
                .select((bases::id, bases::code))
                .load(conn)?;
            let pick = admitted.iter().find(|(_, code)| def.eligibility.bases.is_empty() || def.eligibility.bases.contains(code)).map(|(id, _)| *id);
            match pick {
                Some(b) => Ok((Some(b), None)),
                None => Err(AppError::Refused {
                    code: "not_eligible",
                    message: "This program is recommended by an industry base: your company must be an admitted tenant of one.".into(),
                    fields: {
                        let mut f = FieldErrors::new();
                        push_field_error(&mut f, "eligibility.base", "not_eligible", "Not an admitted tenant of a base.");
                        f
                    },
                }),
            }
        }
        RecommendingUnit::District => {
            let division: String = enterprises::table.find(enterprise_id).select(enterprises::division_code).first(conn)?;
            let agency: Option<i64> = agencies::table.filter(agencies::division_code.eq(&division)).select(agencies::id).first(conn).optional()?;
            match agency {
                Some(a) => Ok((None, Some(a))),
                None => Err(AppError::Refused {
                    code: "not_eligible",
                    message: "No district government on the portal recommends companies registered in your district.".into(),
                    fields: {
                        let mut f = FieldErrors::new();
                        push_field_error(&mut f, "eligibility.region", "not_eligible", "No district government for this division.");
                        f
                    },
                }),
            }
        }
    }
}

/// Submit an application with the declarations (every code of
/// `shared::applications::DECLARATIONS`: `truthful`, `no_double_funding`, `public_notice`). A
/// person of the company who has confirmed their email address; the checks run in the order
/// listed under 409 and 422.
#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", tag = "applications", params(("id" = i64, Path)), request_body = SubmitApplication,
    responses((status = 200, body = shared::applications::ApplicationView, description = "Submitted: with the recommending unit"),
        (status = 401, description = "`unauthenticated`"), (status = 403, description = "`email_unverified`"), (status = 404, description = "`not_found`"),
        (status = 409, description = "`not_a_draft`; `call_closed`; `company_not_verified`; `not_eligible` (failed rules in `fields`); `already_applied`; `duplicate_funding` (the matched numbers in `fields`, by project field)"),
        (status = 422, description = "`validation_failed`: the project's incomplete fields (`project.*`), missing required materials (`materials.*`) and declarations not made (`declarations.*`); or a body that is not such JSON"),
        (status = 503, description = "`busy`: try again; nothing changed")))]
#[post("/applications/{id}/submit")]
pub async fn post_submit(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<SubmitApplication>) -> Result<HttpResponse, AppError> {
    let (id, meta, who, declared) = (path.into_inner(), RequestMeta::from_request(&req), identity.clone(), body.into_inner());
    let st = state.clone();
    state.db.write(move |conn| submit(conn, &meta, &who, id, &declared, &|p| st.link(p))).await?;
    Ok(HttpResponse::Ok().json(super::view_after(&state, identity, id).await?))
}
