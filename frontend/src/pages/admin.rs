//! Staff administration pages: find and manage people (system admins), invite staff (system
//! admins; agency leads for their own reviewers), read the audit log. The filters are GET
//! forms, so a filtered list is a URL that can be bookmarked and shared.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::accounts::{Me, Role};

use crate::components::form::{role_text, sfn_code, FieldMessage, FormErrors, TextField};
use crate::components::signed_in::{SignedIn};
use crate::components::layout::PageTitle;
use crate::components::pager::Pager;
use crate::pages::not_found::{Forbidden, LoadFailed, PageFailed};
use crate::i18n::*;
use crate::server_fns::{admin_user, admin_users, audit_log, scope_choices};

fn q(name: &'static str) -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get(name).unwrap_or_default())
}

fn page_number() -> Memo<i64> {
    let p = q("page");
    Memo::new(move |_| p.get().parse::<i64>().unwrap_or(1).max(1))
}

/// `href` of the same list with another page number.

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    view! { <SignedIn child=|me| if me.has_role(Role::SystemAdmin) { view! { <AdminUsers /> }.into_any() } else { view! { <Forbidden /> }.into_any() } /> }
}

#[component]
fn AdminUsers() -> impl IntoView {
    let i18n = use_i18n();
    let (text, role, status, page) = (q("q"), q("role"), q("status"), page_number());
    let users = Resource::new(move || (text.get(), role.get(), status.get(), page.get()), |(t, r, s, p)| admin_users(t, r, s, p));
    view! {
        <section aria-labelledby="users-title">
            <PageTitle text=t_string!(i18n, admin_users_title).to_string() />
            <h1 id="users-title">{t!(i18n, admin_users_title)}</h1>
            <form method="get" action="/admin/users" class="filters" role="search">
                <div class="field"><label for="q">{t!(i18n, filter_text)}</label><input id="q" name="q" type="search" value=move || text.get() /></div>
                <div class="field">
                    <label for="role">{t!(i18n, role_heading)}</label>
                    <select id="role" name="role">
                        <option value="">{t!(i18n, filter_any)}</option>
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=move || role.get() == r.as_str()>{role_text(i18n, r)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="status">{t!(i18n, filter_status)}</label>
                    <select id="status" name="status">
                        <option value="">{t!(i18n, filter_any)}</option>
                        <option value="active" selected=move || status.get() == "active">{t!(i18n, status_active)}</option>
                        <option value="disabled" selected=move || status.get() == "disabled">{t!(i18n, status_disabled)}</option>
                        <option value="unverified" selected=move || status.get() == "unverified">{t!(i18n, status_unverified)}</option>
                    </select>
                </div>
                <button type="submit" class="button">{t!(i18n, filter_submit)}</button>
            </form>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(p) => {
                            view! {
                                <p role="status">{t!(i18n, results_total, count = p.total)}</p>
                                <table class="table" data-testid="users">
                                    <thead><tr><th scope="col">{t!(i18n, field_email)}</th><th scope="col">{t!(i18n, field_contact_name)}</th><th scope="col">{t!(i18n, role_heading)}</th><th scope="col">{t!(i18n, filter_status)}</th></tr></thead>
                                    <tbody>
                                        {p.items.into_iter().map(|u| view! {
                                            <tr>
                                                <td><a href=format!("/admin/users/{}", u.id)>{u.email.clone()}</a></td>
                                                <td>{u.display_name.clone()}</td>
                                                <td>{u.roles.iter().map(|r| role_text(i18n, *r)).collect::<Vec<_>>().join("、")}</td>
                                                <td>{if u.disabled { t_string!(i18n, status_disabled).to_string() } else if !u.email_verified { t_string!(i18n, status_unverified).to_string() } else { t_string!(i18n, status_active).to_string() }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <Pager page=p.page total=p.total per_page=p.per_page path="/admin/users" keep=&["q", "role", "status"] />
                            }.into_any()
                        }
                        Err(e) => view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn AdminUserPage() -> impl IntoView {
    view! { <SignedIn child=|me| if me.has_role(Role::SystemAdmin) { view! { <AdminUser /> }.into_any() } else { view! { <Forbidden /> }.into_any() } /> }
}

#[component]
fn AdminUser() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let user = Resource::new(move || id.get(), admin_user);
    let choices = Resource::new(|| (), |_| scope_choices());
    let saved = q("saved");
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let (bases, agencies) = choices.await.unwrap_or_default();
                match user.await {
                    Ok(u) => view! { <UserDetail u bases agencies saved=saved.get_untracked() /> }.into_any(),
                    Err(e) => view! { <PageFailed code=sfn_code(&e) /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserDetail(u: Me, bases: Vec<shared::accounts::Choice>, agencies: Vec<shared::accounts::Choice>, saved: String) -> impl IntoView {
    let i18n = use_i18n();
    let uid = u.id;
    view! {
        <section class="form-page" aria-labelledby="user-title">
            <PageTitle text=u.display_name.clone() /><h1 id="user-title">{u.display_name.clone()}</h1>
            <p>{u.email.clone()} " · " {if u.email_verified { t_string!(i18n, status_active).to_string() } else { t_string!(i18n, status_unverified).to_string() }}</p>
            <FormErrors />
            {(!saved.is_empty()).then(|| view! { <p role="status" class="form-ok">{t!(i18n, saved)}</p> })}
            <h2>{t!(i18n, your_roles)}</h2>
            <ul class="roles">
                {u.roles.into_iter().map(|g| {
                    let action = format!("/forms/admin/users/{uid}/roles/{}/revoke", g.id);
                    let label = format!("{} {}", t_string!(i18n, revoke_role), role_text(i18n, g.role));
                    view! {
                        <li>
                            {role_text(i18n, g.role)} {g.scope_name.map(|s| format!(" · {s}"))}
                            <form method="post" action=action class="inline"><button type="submit" class="button button--small" aria-label=label>{t!(i18n, revoke_role)}</button></form>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h2>{t!(i18n, grant_role)}</h2>
            <form method="post" action=format!("/forms/admin/users/{uid}/roles") class="form">
                <div class="field">
                    <label for="grant-role">{t!(i18n, role_heading)}</label>
                    <select id="grant-role" name="role" aria-describedby="f-role-error">
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{role_text(i18n, r)}</option> }).collect_view()}
                    </select>
                    <FieldMessage name="role" />
                </div>
                <ScopeSelects bases agencies />
                <div class="field">
                    <label for="grant-enterprise">{t!(i18n, field_enterprise_id)}</label>
                    <input id="grant-enterprise" name="enterprise_id" inputmode="numeric" aria-describedby="f-enterprise_id-error f-scope-error" />
                    <FieldMessage name="enterprise_id" />
                    <FieldMessage name="scope" />
                </div>
                <button type="submit" class="button">{t!(i18n, grant_role)}</button>
            </form>
            <h2>{t!(i18n, account_status)}</h2>
            <form method="post" action=format!("/forms/admin/users/{uid}/disable") class="inline"><button type="submit" class="button button--secondary">{t!(i18n, disable_user)}</button></form>
            <form method="post" action=format!("/forms/admin/users/{uid}/enable") class="inline"><button type="submit" class="button button--secondary">{t!(i18n, enable_user)}</button></form>
            <h2>{t!(i18n, second_factor_heading)}</h2>
            <p>{if u.second_factor_enabled { t_string!(i18n, second_factor_on) } else { t_string!(i18n, second_factor_off) }}</p>
            <p class="field__hint" id="totp-reset-hint">{t!(i18n, totp_reset_hint)}</p>
            <form method="post" action=format!("/forms/admin/users/{uid}/totp-reset") class="inline"><button type="submit" class="button button--secondary" aria-describedby="totp-reset-hint">{t!(i18n, totp_reset)}</button></form>
            <p><a href=format!("/admin/audit?user_id={uid}")>{t!(i18n, admin_audit_title)}</a></p>
        </section>
    }
}

#[component]
fn ScopeSelects(bases: Vec<shared::accounts::Choice>, agencies: Vec<shared::accounts::Choice>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="scope-base">{t!(i18n, field_base)}</label>
            <select id="scope-base" name="base_id" aria-describedby="f-base_id-error">
                <option value="">{t!(i18n, filter_none)}</option>
                {bases.into_iter().map(|b| view! { <option value=b.id.to_string()>{b.name}</option> }).collect_view()}
            </select>
            <FieldMessage name="base_id" />
        </div>
        <div class="field">
            <label for="scope-agency">{t!(i18n, field_agency)}</label>
            <select id="scope-agency" name="agency_id" aria-describedby="f-agency_id-error">
                <option value="">{t!(i18n, filter_none)}</option>
                {agencies.into_iter().map(|a| view! { <option value=a.id.to_string()>{a.name}</option> }).collect_view()}
            </select>
            <FieldMessage name="agency_id" />
        </div>
    }
}

#[component]
pub fn AdminInvitationsPage() -> impl IntoView {
    view! {
        <SignedIn child=|me| if me.has_role(Role::SystemAdmin) || me.has_role(Role::AgencyLead) {
            view! { <StaffInvite admin=me.has_role(Role::SystemAdmin) /> }.into_any()
        } else {
            view! { <Forbidden /> }.into_any()
        } />
    }
}

#[component]
fn StaffInvite(admin: bool) -> impl IntoView {
    let i18n = use_i18n();
    let choices = Resource::new(|| (), |_| scope_choices());
    let sent = q("sent");
    let roles: Vec<Role> = if admin { Role::ALL.into_iter().filter(|r| r.is_staff()).collect() } else { vec![Role::AgencyReviewer] };
    view! {
        <section class="form-page" aria-labelledby="invite-title">
            <PageTitle text=t_string!(i18n, admin_invite_title).to_string() />
            <h1 id="invite-title">{t!(i18n, admin_invite_title)}</h1>
            <p>{t!(i18n, admin_invite_intro)}</p>
            <Show when=move || !sent.get().is_empty()><p role="status" class="form-ok">{t!(i18n, invited)}</p></Show>
            <FormErrors />
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || {
                    let roles = roles.clone();
                    Suspend::new(async move {
                    let (bases, agencies) = choices.await.unwrap_or_default();
                    view! {
                        <form method="post" action="/forms/admin/invitations" class="form">
                            <TextField name="email" label=t_string!(i18n, field_email).to_string() kind="email" autocomplete="off" />
                            <div class="field">
                                <label for="invite-role">{t!(i18n, role_heading)}</label>
                                <select id="invite-role" name="role" aria-describedby="f-role-error">
                                    {roles.into_iter().map(|r| view! { <option value=r.as_str()>{role_text(i18n, r)}</option> }).collect_view()}
                                </select>
                                <FieldMessage name="role" />
                            </div>
                            <ScopeSelects bases agencies />
                            <TextField name="specialties" label=t_string!(i18n, field_specialties).to_string() required=false />
                            <TextField name="employer_credit_code" label=t_string!(i18n, field_employer_credit_code).to_string() required=false />
                            <div class="field">
                                <label for="invite-locale">{t!(i18n, field_mail_language)}</label>
                                <select id="invite-locale" name="locale"><option value="zh-CN">"中文"</option><option value="en">"English"</option></select>
                            </div>
                            <button type="submit" class="button">{t!(i18n, invite_submit)}</button>
                        </form>
                    }
                })}}
            </Suspense>
        </section>
    }
}

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    view! { <SignedIn child=|me| if me.has_role(Role::SystemAdmin) { view! { <AuditLog /> }.into_any() } else { view! { <Forbidden /> }.into_any() } /> }
}

#[component]
fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    // Rendered once on the server (no island): the filter is read once, as plain values.
    let query = use_query_map().get_untracked();
    let get = |k: &str| query.get(k).unwrap_or_default();
    let filter = shared::accounts::AuditFilter {
        event: get("event"),
        user_id: get("user_id"),
        actor_id: get("actor_id"),
        role: get("role"),
        object_type: get("object_type"),
        object_id: get("object_id"),
        from: get("from"),
        to: get("to"),
        page: get("page").parse::<i64>().unwrap_or(1).max(1),
    };
    let f = filter.clone();
    let log = Resource::new(move || f.clone(), audit_log);
    let option = |value: String, label: String, chosen: bool| view! { <option value=value selected=chosen>{label}</option> };
    let filters = view! {
        <form method="get" action="/admin/audit" class="filters" role="search">
            <div class="field"><label for="event">{t_string!(i18n, audit_event)}</label>
                <select id="event" name="event"><option value="">{t_string!(i18n, audit_event_any)}</option>
                    {shared::accounts::AUDIT_EVENT_KINDS.iter().map(|k| option(k.to_string(), audit_kind_name(i18n, k), filter.event == *k)).collect_view()}
                </select></div>
            <div class="field"><label for="actor_id">{t_string!(i18n, audit_actor)}</label><input id="actor_id" name="actor_id" inputmode="numeric" value=filter.actor_id.clone() /></div>
            <div class="field"><label for="role">{t_string!(i18n, audit_role)}</label>
                <select id="role" name="role"><option value="">{t_string!(i18n, filter_any)}</option>
                    {Role::ALL.into_iter().map(|r| option(r.as_str().to_string(), role_text(i18n, r), filter.role == r.as_str())).collect_view()}
                </select></div>
            <div class="field"><label for="object_type">{t_string!(i18n, audit_object)}</label>
                <select id="object_type" name="object_type"><option value="">{t_string!(i18n, filter_any)}</option>
                    {shared::accounts::AUDIT_OBJECT_TYPES.iter().map(|k| option(k.to_string(), audit_object_name(i18n, k), filter.object_type == *k)).collect_view()}
                </select></div>
            <div class="field"><label for="object_id">{t_string!(i18n, audit_object_id)}</label><input id="object_id" name="object_id" inputmode="numeric" value=filter.object_id.clone() /></div>
            <div class="field"><label for="user_id">{t_string!(i18n, audit_user)}</label><input id="user_id" name="user_id" inputmode="numeric" value=filter.user_id.clone() /></div>
            <div class="field"><label for="from">{t_string!(i18n, audit_from)}</label><input id="from" name="from" type="date" value=filter.from.clone() /></div>
            <div class="field"><label for="to">{t_string!(i18n, audit_to)}</label><input id="to" name="to" type="date" value=filter.to.clone() /></div>
            <button type="submit" class="button">{t_string!(i18n, filter_submit)}</button>
        </form>
    };
    view! {
        <section aria-labelledby="audit-title">
            <PageTitle text=t_string!(i18n, admin_audit_title).to_string() />
            <h1 id="audit-title">{t_string!(i18n, admin_audit_title)}</h1>
            {filters}
            <Suspense fallback=move || view! { <p>{t_string!(i18n, loading)}</p> }>
                {Suspend::new(async move {
                    let p = match log.await {
                        Ok(p) => p,
                        Err(e) => return view! { <LoadFailed code=sfn_code(&e) /> }.into_any(),
                    };
                    if p.items.is_empty() {
                        return view! {
                            <div class="empty" data-testid="audit-empty">
                                <p>{t_string!(i18n, audit_empty)}</p>
                                <p><a href="/admin/audit">{t_string!(i18n, filters_clear)}</a></p>
                            </div>
                        }.into_any();
                    }
                    // On a phone each event is a card; each value is labelled with its column.
                    let labels = [
                        t_string!(i18n, audit_time).to_string(),
                        t_string!(i18n, audit_event).to_string(),
                        t_string!(i18n, audit_actor).to_string(),
                        t_string!(i18n, audit_object).to_string(),
                        t_string!(i18n, field_email).to_string(),
                        "IP".to_string(),
                        t_string!(i18n, audit_agent).to_string(),
                        t_string!(i18n, audit_detail).to_string(),
                    ];
                    let head = labels.clone();
                    let roles = |codes: &str| codes.split(',').filter_map(Role::parse).map(|r| role_text(i18n, r)).collect::<Vec<_>>().join("、");
                    view! {
                        <p role="status">{t!(i18n, results_total, count = p.total)}</p>
                        <table class="table table--stack" data-testid="audit">
                            <caption class="visually-hidden">{t_string!(i18n, admin_audit_title)}</caption>
                            <thead><tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                            <tbody>
                                {p.items.into_iter().map(|e| {
                                    let actor = match (e.actor_user_id, e.actor_role.as_deref()) {
                                        (Some(id), Some(r)) => format!("{id} ({})", roles(r)),
                                        (Some(id), None) => id.to_string(),
                                        _ => String::new(),
                                    };
                                    let object = match (e.object_type.as_deref(), e.object_id) {
                                        (Some(kind), Some(id)) => format!("{} {id}", audit_object_name(i18n, kind)),
                                        _ => String::new(),
                                    };
                                    view! {
                                        <tr>
                                            <td data-label=labels[0].clone()>{(e.occurred_at + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                            <td data-label=labels[1].clone() data-event=e.event.clone()>{audit_kind_name(i18n, &e.event)}</td>
                                            <td data-label=labels[2].clone()>{actor}</td>
                                            <td data-label=labels[3].clone()>{object}</td>
                                            <td data-label=labels[4].clone()>{e.email.unwrap_or_default()}</td>
                                            <td data-label=labels[5].clone()>{e.ip.unwrap_or_default()}</td>
                                            <td data-label=labels[6].clone() class="wrap">{e.user_agent.unwrap_or_default()}</td>
                                            <td data-label=labels[7].clone() class="wrap">{e.detail}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Pager page=p.page total=p.total per_page=p.per_page path="/admin/audit" keep=&["event", "user_id", "actor_id", "role", "object_type", "object_id", "from", "to"] />
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

/// The name of a kind of object audit events concern, in the reader's language.
fn audit_object_name(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
    match kind {
        "user" => t_string!(i18n, audit_object_user).to_string(),
        "enterprise" => t_string!(i18n, audit_object_enterprise).to_string(),
        "tenancy" => t_string!(i18n, audit_object_tenancy).to_string(),
        "document" => t_string!(i18n, audit_object_document).to_string(),
        "base" => t_string!(i18n, audit_object_base).to_string(),
        "credit_code_claim" => t_string!(i18n, audit_object_credit_code_claim).to_string(),
        "tenancy_invitation" => t_string!(i18n, audit_object_tenancy_invitation).to_string(),
        "report" => t_string!(i18n, audit_object_report).to_string(),
        "calendar_year" => t_string!(i18n, audit_object_calendar_year).to_string(),
        "job" => t_string!(i18n, audit_object_job).to_string(),
        "program" => t_string!(i18n, audit_object_program).to_string(),
        "application" => t_string!(i18n, audit_object_application).to_string(),
        other => other.to_string(),
    }
}

/// An audit event kind's name in the reader's language (the code itself for a kind this build
/// does not know).
fn audit_kind_name(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
    match kind {
        "registered" => t_string!(i18n, audit_kind_registered).to_string(),
        "email_verified" => t_string!(i18n, audit_kind_email_verified).to_string(),
        "login_succeeded" => t_string!(i18n, audit_kind_login_succeeded).to_string(),
        "password_accepted" => t_string!(i18n, audit_kind_password_accepted).to_string(),
        "login_failed" => t_string!(i18n, audit_kind_login_failed).to_string(),
        "locked_out" => t_string!(i18n, audit_kind_locked_out).to_string(),
        "second_factor_passed" => t_string!(i18n, audit_kind_second_factor_passed).to_string(),
        "second_factor_failed" => t_string!(i18n, audit_kind_second_factor_failed).to_string(),
        "recovery_code_used" => t_string!(i18n, audit_kind_recovery_code_used).to_string(),
        "totp_enrolment_started" => t_string!(i18n, audit_kind_totp_enrolment_started).to_string(),
        "totp_enrolled" => t_string!(i18n, audit_kind_totp_enrolled).to_string(),
        "totp_reset" => t_string!(i18n, audit_kind_totp_reset).to_string(),
        "logout" => t_string!(i18n, audit_kind_logout).to_string(),
        "session_ended" => t_string!(i18n, audit_kind_session_ended).to_string(),
        "sessions_ended" => t_string!(i18n, audit_kind_sessions_ended).to_string(),
        "password_reset_requested" => t_string!(i18n, audit_kind_password_reset_requested).to_string(),
        "password_reset" => t_string!(i18n, audit_kind_password_reset).to_string(),
        "password_changed" => t_string!(i18n, audit_kind_password_changed).to_string(),
        "token_issued" => t_string!(i18n, audit_kind_token_issued).to_string(),
        "token_revoked" => t_string!(i18n, audit_kind_token_revoked).to_string(),
        "api_tokens_revoked" => t_string!(i18n, audit_kind_api_tokens_revoked).to_string(),
        "invitation_sent" => t_string!(i18n, audit_kind_invitation_sent).to_string(),
        "role_granted" => t_string!(i18n, audit_kind_role_granted).to_string(),
        "role_revoked" => t_string!(i18n, audit_kind_role_revoked).to_string(),
        "role_changed" => t_string!(i18n, audit_kind_role_changed).to_string(),
        "user_disabled" => t_string!(i18n, audit_kind_user_disabled).to_string(),
        "user_enabled" => t_string!(i18n, audit_kind_user_enabled).to_string(),
        "demo_account_removed" => t_string!(i18n, audit_kind_demo_account_removed).to_string(),
        "request_refused" => t_string!(i18n, audit_kind_request_refused).to_string(),
        "audit_log_read" => t_string!(i18n, audit_kind_audit_log_read).to_string(),
        "credit_code_claimed" => t_string!(i18n, audit_kind_credit_code_claimed).to_string(),
        "credit_code_claim_granted" => t_string!(i18n, audit_kind_credit_code_claim_granted).to_string(),
        "credit_code_claim_refused" => t_string!(i18n, audit_kind_credit_code_claim_refused).to_string(),
        "enterprise_verification" => t_string!(i18n, audit_kind_enterprise_verification).to_string(),
        "document_downloaded" => t_string!(i18n, audit_kind_document_downloaded).to_string(),
        "base_saved" => t_string!(i18n, audit_kind_base_saved).to_string(),
        "tenancy_invitation_answered" => t_string!(i18n, audit_kind_tenancy_invitation_answered).to_string(),
        "tenants_exported" => t_string!(i18n, audit_kind_tenants_exported).to_string(),
        "tenants_imported" => t_string!(i18n, audit_kind_tenants_imported).to_string(),
        "report_reminders_sent" => t_string!(i18n, audit_kind_report_reminders_sent).to_string(),
        "profile_saved" => t_string!(i18n, audit_kind_profile_saved).to_string(),
        "tenancy_applied" => t_string!(i18n, audit_kind_tenancy_applied).to_string(),
        "tenancy_decided" => t_string!(i18n, audit_kind_tenancy_decided).to_string(),
        "document_uploaded" => t_string!(i18n, audit_kind_document_uploaded).to_string(),
        "document_deleted" => t_string!(i18n, audit_kind_document_deleted).to_string(),
        "report_filed" => t_string!(i18n, audit_kind_report_filed).to_string(),
        "account_updated" => t_string!(i18n, audit_kind_account_updated).to_string(),
        "calendar_edited" => t_string!(i18n, audit_kind_calendar_edited).to_string(),
        "job_scheduled" => t_string!(i18n, audit_kind_job_scheduled).to_string(),
        "job_retried" => t_string!(i18n, audit_kind_job_retried).to_string(),
        "program_saved" => t_string!(i18n, audit_kind_program_saved).to_string(),
        "program_edit_kept" => t_string!(i18n, audit_kind_program_edit_kept).to_string(),
        "program_edit_discarded" => t_string!(i18n, audit_kind_program_edit_discarded).to_string(),
        "application_created" => t_string!(i18n, audit_kind_application_created).to_string(),
        "application_saved" => t_string!(i18n, audit_kind_application_saved).to_string(),
        "material_uploaded" => t_string!(i18n, audit_kind_material_uploaded).to_string(),
        "application_submitted" => t_string!(i18n, audit_kind_application_submitted).to_string(),
        "application_withdrawn" => t_string!(i18n, audit_kind_application_withdrawn).to_string(),
        "application_review_step" => t_string!(i18n, audit_kind_application_review_step).to_string(),
        "application_assigned" => t_string!(i18n, audit_kind_application_assigned).to_string(),
        "supplement_extended" => t_string!(i18n, audit_kind_supplement_extended).to_string(),
        "supplement_answered" => t_string!(i18n, audit_kind_supplement_answered).to_string(),
        "expert_profile_saved" => t_string!(i18n, audit_kind_expert_profile_saved).to_string(),
        "experts_drawn" => t_string!(i18n, audit_kind_experts_drawn).to_string(),
        "expert_declared" => t_string!(i18n, audit_kind_expert_declared).to_string(),
        "expert_scored" => t_string!(i18n, audit_kind_expert_scored).to_string(),
        "expert_stage_completed" => t_string!(i18n, audit_kind_expert_stage_completed).to_string(),
        "stage_reminded" => t_string!(i18n, audit_kind_stage_reminded).to_string(),
        "stage_escalated" => t_string!(i18n, audit_kind_stage_escalated).to_string(),
        "disbursement_recorded" => t_string!(i18n, audit_kind_disbursement_recorded).to_string(),
        "acceptance_recorded" => t_string!(i18n, audit_kind_acceptance_recorded).to_string(),
        "recovery_recorded" => t_string!(i18n, audit_kind_recovery_recorded).to_string(),
        "evaluation_filed" => t_string!(i18n, audit_kind_evaluation_filed).to_string(),
        "award_files_added" => t_string!(i18n, audit_kind_award_files_added).to_string(),
        "award_file_downloaded" => t_string!(i18n, audit_kind_award_file_downloaded).to_string(),
        "notice_published" => t_string!(i18n, audit_kind_notice_published).to_string(),
        "objection_filed" => t_string!(i18n, audit_kind_objection_filed).to_string(),
        "objection_decided" => t_string!(i18n, audit_kind_objection_decided).to_string(),
        "objection_reminded" => t_string!(i18n, audit_kind_objection_reminded).to_string(),
        "objection_escalated" => t_string!(i18n, audit_kind_objection_escalated).to_string(),
        "objection_evidence_downloaded" => t_string!(i18n, audit_kind_objection_evidence_downloaded).to_string(),
        "approval_notice_downloaded" => t_string!(i18n, audit_kind_approval_notice_downloaded).to_string(),
        "application_form_downloaded" => t_string!(i18n, audit_kind_application_form_downloaded).to_string(),
        other => other.to_string(),
    }
}
