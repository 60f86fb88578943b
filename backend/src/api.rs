//! The REST API under `/api/v1`, its OpenAPI document (generated from the handlers'
//! annotations) and the human-readable docs page at `/api/v1/docs/`.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::{AppError, ErrorEnvelope, FieldError};
use crate::accounts::{admin_users, audit, claims, invitations, login, me, members, password_reset, register, second_factor};
use crate::registry::{bases, dashboard, documents, export, import, invitations as tenancy_invitations, profile, recommended, reports, tenancy, tenants, verification};
use crate::{applications, calendar, jobs, ops, programs, reference, review, targets};

#[derive(OpenApi)]
#[openapi(
    info(title = "UHD Portal API", version = "1", description = "Industry registry and subsidy applications for the ultra-high-definition video industry.\n\n[← 返回门户 / Back to the portal](/) · [服务状态 / Service status](/status)"),
    paths(
        ops::health::get_healthz,
        ops::health::get_readyz,
        reference::list_bases::get_bases,
        reference::list_programs::get_programs,
        programs::get_program::get_program,
        programs::eligibility::get_eligibility,
        programs::save_program::put_program,
        applications::create_application::post_application,
        applications::list_applications::get_applications,
        applications::draft::get_application,
        applications::draft::put_application,
        applications::materials::post_material,
        applications::materials::get_material,
        applications::submit::post_submit,
        applications::withdraw::post_withdraw,
        applications::timeline::get_timeline,
        applications::form::get_form,
        applications::form::get_verify,
        review::actions::get_actions,
        review::actions::post_action,
        review::assign::post_assignment,
        review::checks::get_checks,
        review::supplement::get_supplement,
        review::supplement::put_supplement,
        review::supplement::post_deadline,
        review::experts::get_experts,
        review::experts::put_expert,
        review::experts::post_expert_draw,
        review::experts::post_expert_draws,
        review::experts::get_panel,
        review::experts::get_assignments,
        review::experts::post_declaration,
        review::experts::put_scores,
        review::queue::get_queue,
        review::dashboard::get_review_dashboard,
        review::inbox::get_notifications,
        review::inbox::post_read_all,
        review::inbox::post_read,
        review::inbox::get_settings,
        review::inbox::put_settings,
        review::public_notice::post_notice,
        review::public_notice::get_notices,
        review::public_notice::get_notice,
        review::public_notice::get_notice_pdf,
        review::objections::post_objection,
        review::objections::get_objections,
        review::objections::post_decision,
        review::objections::get_evidence,
        review::approval::get_approval_notice,
        targets::get_targets,
        targets::open_data::get_awards_csv,
        targets::open_data::get_awards_json,
        review::payments::get_award,
        review::payments::post_disbursement,
        review::payments::post_acceptance,
        review::payments::post_recovery,
        review::payments::put_self_evaluation,
        review::award_files::post_award_files,
        review::award_files::get_award_file,
        reference::list_segments::get_segments,
        register::post_register,
        register::post_verify_email,
        register::post_resend_verification,
        login::post_login,
        login::post_logout,
        second_factor::post_second_factor,
        second_factor::post_totp,
        second_factor::post_totp_confirm,
        second_factor::post_totp_reset,
        claims::post_claim,
        claims::get_claims,
        claims::get_claim_licence,
        claims::post_claim_decision,
        password_reset::post_reset_request,
        password_reset::post_reset_confirm,
        password_reset::post_change_password,
        me::get_me,
        me::patch_me,
        me::get_sessions,
        me::delete_session,
        me::delete_all_sessions,
        me::get_tokens,
        me::post_token,
        me::delete_token,
        invitations::post_enterprise_invitation,
        invitations::post_staff_invitation,
        invitations::post_inspect,
        invitations::post_accept,
        members::get_members,
        members::delete_member,
        members::post_transfer_admin,
        members::get_enterprise,
        admin_users::get_users,
        admin_users::get_user,
        admin_users::post_disable,
        admin_users::post_enable,
        admin_users::post_role,
        admin_users::delete_role,
        audit::get_audit,
        profile::get_profile,
        profile::put_profile,
        profile::get_history,
        tenancy::get_tenancies,
        tenancy::post_tenancy,
        tenancy::post_decision,
        tenants::get_tenants,
        recommended::get_recommended,
        reports::put_report,
        reports::get_reports,
        reports::get_filing,
        reports::post_reminders,
        export::get_export,
        dashboard::get_dashboard,
        bases::get_public_base,
        bases::post_base,
        bases::put_base,
        import::get_template,
        import::post_import,
        import::get_report,
        tenancy_invitations::get_invitations,
        verification::post_verification,
        tenancy_invitations::post_response,
        documents::post_document,
        documents::get_documents,
        documents::get_document_file,
        documents::delete_document,
        calendar::list_years::get_calendar,
        calendar::working_days::get_working_days,
        calendar::working_days::get_working_days_between,
        calendar::get_year::get_calendar_year,
        calendar::save_year::put_calendar_year,
        calendar::load_arrangement::put_arrangement,
        calendar::add_day::post_holiday,
        calendar::add_day::post_workday,
        calendar::remove_day::delete_calendar_day,
        jobs::report_reminders::post_scheduled_reminders,
        jobs::report_reminders::get_scheduled_reminders,
        jobs::list_jobs::get_jobs,
        jobs::retry_job::post_retry_job,
    ),
    components(schemas(ErrorEnvelope, FieldError, shared::awards::ObjectionForm)),
    modifiers(&SecurityAddon, &CommonResponses),
    security(("session_cookie" = []), ("bearer_token" = [])),
    tags(
        (name = "operations", description = "Probes and metrics"),
        (name = "reference", description = "Industry bases and subsidy programs"),
        (name = "accounts", description = "Registration, sign-in, sessions, API tokens, invitations, company members"),
        (name = "registry", description = "Enterprises: profiles, tenancies in industry bases, tenant lists"),
        (name = "programs", description = "Subsidy programs: the guide, eligibility, defining a program and its versions"),
        (name = "applications", description = "Filing an application: drafts, materials, submission, withdrawal, timeline"),
        (name = "review", description = "The review workflow: the actions each person may take, one shape for every step, returns for supplement"),
        (name = "awards", description = "Public notice of proposed awards, identified objections and their investigation, approved awards, the approval notice, disbursements, acceptance and recoveries"),
        (name = "open data", description = "Public figures: the action plans' targets and the approved awards as CSV and JSON (stable schema, `schema_version` 1)"),
        (name = "calendar", description = "The working-day calendar: holidays, make-up working days, deadlines in working days"),
        (name = "admin", description = "User administration and the audit log (system admins)")
    )
)]
pub struct ApiDoc;

/// The answers any route can give besides its own, documented on every operation that does not
/// describe them itself: 401 (an unknown, expired or revoked API token is refused on every
/// route; most routes need a sign-in), 403 (a role or scope that may not; an unsafe request from
/// another origin), 404 on routes with a path parameter (unknown or out of scope, or not a
/// number), 422 (a query string or body that does not parse) and 503 (the database is briefly
/// unreachable, or stayed busy with other writes; with `Retry-After`). All carry the error
/// envelope.
struct CommonResponses;

impl utoipa::Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let envelope = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorEnvelope"))).build())
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_param = path.contains('{');
            for op in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten() {
                let mut common = vec![
                    ("401", "unauthenticated, invalid_token or second_factor_required"),
                    ("403", "forbidden, cross_origin_request, insufficient_scope or session_required"),
                    ("422", "The query string, body or a field is not valid"),
                    ("503", "service_unavailable (the database is briefly unreachable) or busy (it stayed busy with other writes); both carry Retry-After and changed nothing"),
                ];
                if has_param {
                    common.push(("404", "Not found (or not within the caller's scope)"));
                }
                for (status, description) in common {
                    op.responses.responses.entry(status.to_string()).or_insert_with(|| envelope(description).into());
                }
            }
        }
    }
}

/// The two ways to authenticate: the browser's session cookie and personal API tokens.
struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::accounts::identity::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "bearer_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("Personal API token (uhd_...)")).build()),
        );
    }
}

/// Bad query strings and JSON bodies get the error envelope too.
fn bad_input(field: &str, err: impl std::fmt::Display) -> actix_web::Error {
    let e = AppError::field(field, "invalid", err.to_string());
    actix_web::error::InternalError::from_response(e.to_string(), e.error_response()).into()
}

/// Unknown routes under `/api` answer with the envelope.
pub async fn api_not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::RouteNotFound)
}


/// Mount the REST API and the operations endpoints (all but `/metrics`, which the metrics
/// middleware answers).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(ops::health::get_healthz)
        .service(ops::health::get_readyz)
        .service(SwaggerUi::new("/api/v1/docs/{_:.*}").url("/api/v1/openapi.json", ApiDoc::openapi()))
        .service(
            web::scope("/api/v1")
                .app_data(web::QueryConfig::default().error_handler(|e, _req: &HttpRequest| bad_input("query", e)))
                .app_data(web::JsonConfig::default().error_handler(|e, _req: &HttpRequest| bad_input("body", e)))
                // A path parameter that does not parse (not a number, out of range) names nothing.
                .app_data(web::PathConfig::default().error_handler(|_e, _req: &HttpRequest| {
                    let e = AppError::NotFound("the record");
                    actix_web::error::InternalError::from_response(e.to_string(), e.error_response()).into()
                }))
                // Raw uploads (the tenant import) up to their own limit.
                .app_data(web::PayloadConfig::new(documents::MAX_DOCUMENT_BYTES.max(import::MAX_IMPORT_BYTES) + 1024))
                .service(reference::list_bases::get_bases)
                .service(reference::list_programs::get_programs)
                .service(programs::get_program::get_program)
                .service(programs::eligibility::get_eligibility)
                .service(programs::save_program::put_program)
                .service(applications::create_application::post_application)
                .service(applications::list_applications::get_applications)
                .service(applications::draft::get_application)
                .service(applications::draft::put_application)
                .service(applications::materials::post_material)
                .service(applications::materials::get_material)
                .service(applications::submit::post_submit)
                .service(applications::withdraw::post_withdraw)
                .service(applications::timeline::get_timeline)
                .service(applications::form::get_form)
                .service(applications::form::get_verify)
                .service(review::actions::get_actions)
                .service(review::actions::post_action)
                .service(review::assign::post_assignment)
                .service(review::checks::get_checks)
                .service(review::supplement::get_supplement)
                .service(review::supplement::put_supplement)
                .service(review::supplement::post_deadline)
                .service(review::experts::get_experts)
                .service(review::experts::put_expert)
                .service(review::experts::post_expert_draw)
                .service(review::experts::post_expert_draws)
                .service(review::experts::get_panel)
                .service(review::experts::get_assignments)
                .service(review::experts::post_declaration)
                .service(review::experts::put_scores)
                .service(review::queue::get_queue)
                .service(review::dashboard::get_review_dashboard)
                .service(review::inbox::get_notifications)
                .service(review::inbox::post_read_all)
                .service(review::inbox::post_read)
                .service(review::inbox::get_settings)
                .service(review::inbox::put_settings)
                .service(review::public_notice::post_notice)
                .service(review::public_notice::get_notices)
                .service(review::public_notice::get_notice)
                .service(review::public_notice::get_notice_pdf)
                .service(review::objections::post_objection)
                .service(review::objections::get_objections)
                .service(review::objections::post_decision)
                .service(review::objections::get_evidence)
                .service(review::approval::get_approval_notice)
                .service(targets::get_targets)
                .service(targets::open_data::get_awards_csv)
                .service(targets::open_data::get_awards_json)
                .service(review::payments::get_award)
                .service(review::payments::post_disbursement)
                .service(review::payments::post_acceptance)
                .service(review::payments::post_recovery)
                .service(review::payments::put_self_evaluation)
                .service(review::award_files::post_award_files)
                .service(review::award_files::get_award_file)
                .service(reference::list_segments::get_segments)
                .service(register::post_register)
                .service(register::post_verify_email)
                .service(register::post_resend_verification)
                .service(login::post_login)
                .service(login::post_logout)
                .service(second_factor::post_second_factor)
                .service(second_factor::post_totp)
                .service(second_factor::post_totp_confirm)
                .service(second_factor::post_totp_reset)
                .service(claims::post_claim)
                .service(claims::get_claims)
                .service(claims::get_claim_licence)
                .service(claims::post_claim_decision)
                .service(password_reset::post_reset_request)
                .service(password_reset::post_reset_confirm)
                .service(password_reset::post_change_password)
                .service(me::get_me)
                .service(me::patch_me)
                .service(me::get_sessions)
                .service(me::delete_all_sessions)
                .service(me::delete_session)
                .service(me::get_tokens)
                .service(me::post_token)
                .service(me::delete_token)
                .service(invitations::post_enterprise_invitation)
                .service(invitations::post_staff_invitation)
                .service(invitations::post_inspect)
                .service(invitations::post_accept)
                .service(members::get_members)
                .service(members::delete_member)
                .service(members::post_transfer_admin)
                .service(members::get_enterprise)
                .service(admin_users::get_users)
                .service(admin_users::get_user)
                .service(admin_users::post_disable)
                .service(admin_users::post_enable)
                .service(admin_users::post_role)
                .service(admin_users::delete_role)
                .service(audit::get_audit)
                .service(profile::get_profile)
                .service(profile::put_profile)
                .service(profile::get_history)
                .service(tenancy::get_tenancies)
                .service(tenancy::post_tenancy)
                .service(tenancy::post_decision)
                .service(export::get_export)
                .service(dashboard::get_dashboard)
                .service(bases::get_public_base)
                .service(bases::post_base)
                .service(bases::put_base)
                .service(import::get_template)
                .service(import::post_import)
                .service(import::get_report)
                .service(tenancy_invitations::get_invitations)
                .service(verification::post_verification)
                .service(tenancy_invitations::post_response)
                .service(documents::post_document)
                .service(documents::get_documents)
                .service(documents::get_document_file)
                .service(documents::delete_document)
                // The fixed paths before `/calendar/{year}`.
                .service(calendar::working_days::get_working_days)
                .service(calendar::working_days::get_working_days_between)
                .service(calendar::list_years::get_calendar)
                .service(calendar::get_year::get_calendar_year)
                .service(calendar::save_year::put_calendar_year)
                .service(calendar::load_arrangement::put_arrangement)
                .service(calendar::add_day::post_holiday)
                .service(calendar::add_day::post_workday)
                .service(calendar::remove_day::delete_calendar_day)
                .service(jobs::report_reminders::post_scheduled_reminders)
                .service(jobs::report_reminders::get_scheduled_reminders)
                .service(jobs::list_jobs::get_jobs)
                .service(jobs::retry_job::post_retry_job)
                .service(tenants::get_tenants)
                .service(recommended::get_recommended)
                .service(reports::put_report)
                .service(reports::get_reports)
                .service(reports::get_filing)
                .service(reports::post_reminders)
                .default_service(web::to(api_not_found)),
        );
}
