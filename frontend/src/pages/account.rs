//! Account pages: register, confirm email, sign in, forgotten password, invitation, the
//! dashboard (company members) and the account page (sessions, password). Forms post to
//! `/forms/...` (see `forms/accounts.rs`) and work without JavaScript; errors come back as codes in the
//! query and are shown next to their field, translated.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::accounts::{Me, Role};

use crate::components::layout::PageTitle;
use crate::i18n::*;
use crate::server_fns::{get_members, get_sessions, invitation_info, list_api_tokens, verify_email};
use crate::components::form::{error_text, query_value, role_text, sfn_code, CreditCodeCheck, FieldMessage, FormErrors, TextField};
use crate::components::signed_in::SignedIn;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="form-page" aria-labelledby="reg-title">
            <PageTitle text=t_string!(i18n, register_title).to_string() />
            <h1 id="reg-title">{t!(i18n, register_title)}</h1>
            <p>{t!(i18n, register_intro)}</p>
            <FormErrors />
            <form method="post" action="/forms/register" class="form" novalidate=true>
                <CreditCodeCheck>
                    <TextField name="credit_code" label=t_string!(i18n, field_credit_code).to_string() hint=t_string!(i18n, hint_credit_code).to_string() autocomplete="off" />
                </CreditCodeCheck>
                <TextField name="company_name" label=t_string!(i18n, field_company_name).to_string() autocomplete="organization" />
                <TextField name="contact_name" label=t_string!(i18n, field_contact_name).to_string() autocomplete="name" />
                <TextField name="email" label=t_string!(i18n, field_email).to_string() kind="email" autocomplete="email" />
                <TextField name="phone" label=t_string!(i18n, field_phone).to_string() kind="tel" autocomplete="tel" />
                <TextField name="password" label=t_string!(i18n, field_password).to_string() kind="password" autocomplete="new-password" hint=t_string!(i18n, hint_password).to_string() refill=false />
                <button type="submit" class="button">{t!(i18n, register_submit)}</button>
            </form>
            <p><a href="/login">{t!(i18n, have_account)}</a></p>
            <p><a href="/claim">{t!(i18n, claim_link)}</a></p>
        </section>
    }
}

#[component]
pub fn RegisterDonePage() -> impl IntoView {
    let i18n = use_i18n();
    let email = query_value("email");
    view! {
        <section class="notice" aria-labelledby="done-title">
            <PageTitle text=t_string!(i18n, register_done_title).to_string() />
            <h1 id="done-title">{t!(i18n, register_done_title)}</h1>
            <p>{t!(i18n, register_done_body)} " " <strong>{move || email.get()}</strong></p>
            <p><a href="/login">{t!(i18n, nav_login)}</a></p>
        </section>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = query_value("token");
    let result = Resource::new(move || token.get(), verify_email);
    view! {
        <section class="notice" aria-labelledby="verify-title">
            <PageTitle text=t_string!(i18n, verify_title).to_string() />
            <h1 id="verify-title">{t!(i18n, verify_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match result.await {
                        Ok(()) => view! { <p role="status">{t!(i18n, verify_ok)}</p><p><a href="/login">{t!(i18n, nav_login)}</a></p> }.into_any(),
                        Err(e) => {
                            view! { <p role="alert">{error_text(i18n, &sfn_code(&e))}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let reset = query_value("reset");
    let next = query_value("next");
    view! {
        <section class="form-page" aria-labelledby="login-title">
            <PageTitle text=t_string!(i18n, login_title).to_string() />
            <h1 id="login-title">{t!(i18n, login_title)}</h1>
            <Show when=move || !reset.get().is_empty()>
                <p role="status" class="form-ok">{t!(i18n, reset_done)}</p>
            </Show>
            <FormErrors />
            <form method="post" action="/forms/login" class="form">
                <input type="hidden" name="next" value=move || next.get() />
                <TextField name="email" label=t_string!(i18n, field_email).to_string() kind="email" autocomplete="username" />
                <TextField name="password" label=t_string!(i18n, field_password).to_string() kind="password" autocomplete="current-password" refill=false />
                <button type="submit" class="button">{t!(i18n, login_submit)}</button>
            </form>
            <p><a href="/password-reset">{t!(i18n, forgot_password)}</a></p>
            <p><a href="/register">{t!(i18n, nav_register)}</a></p>
        </section>
    }
}

#[component]
pub fn ResetRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let sent = query_value("sent");
    view! {
        <section class="form-page" aria-labelledby="reset-title">
            <PageTitle text=t_string!(i18n, reset_title).to_string() />
            <h1 id="reset-title">{t!(i18n, reset_title)}</h1>
            <Show when=move || !sent.get().is_empty()>
                <p role="status" class="form-ok">{t!(i18n, reset_sent)}</p>
            </Show>
            <FormErrors />
            <form method="post" action="/forms/password-reset" class="form">
                <TextField name="email" label=t_string!(i18n, field_email).to_string() kind="email" autocomplete="email" />
                <button type="submit" class="button">{t!(i18n, reset_submit)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn ResetConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = query_value("token");
    view! {
        <section class="form-page" aria-labelledby="newpw-title">
            <PageTitle text=t_string!(i18n, new_password_title).to_string() />
            <h1 id="newpw-title">{t!(i18n, new_password_title)}</h1>
            <FormErrors />
            <form method="post" action="/forms/password-reset/confirm" class="form">
                <input type="hidden" name="token" value=move || token.get() />
                <TextField name="new_password" label=t_string!(i18n, field_new_password).to_string() kind="password" autocomplete="new-password" hint=t_string!(i18n, hint_password).to_string() refill=false />
                <button type="submit" class="button">{t!(i18n, new_password_submit)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = query_value("token");
    let info = Resource::new(move || token.get(), invitation_info);
    view! {
        <section class="form-page" aria-labelledby="inv-title">
            <PageTitle text=t_string!(i18n, invitation_title).to_string() />
            <h1 id="inv-title">{t!(i18n, invitation_title)}</h1>
            <FormErrors />
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok((email, role, org, existing)) => {
                            let role = Role::parse(&role).map(|r| role_text(i18n, r)).unwrap_or(role);
                            view! {
                                <p>{t!(i18n, invitation_for)} " " <strong>{email}</strong> " · " {role} " · " {org.unwrap_or_default()}</p>
                                <form method="post" action="/forms/invitation" class="form">
                                    <input type="hidden" name="token" value=move || token.get() />
                                    {(!existing).then(|| view! {
                                        <TextField name="display_name" label=t_string!(i18n, field_contact_name).to_string() autocomplete="name" />
                                        <TextField name="phone" label=t_string!(i18n, field_phone).to_string() kind="tel" autocomplete="tel" required=false />
                                    })}
                                    <TextField name="password" kind="password" refill=false autocomplete=if existing { "current-password" } else { "new-password" }
                                        label=if existing { t_string!(i18n, field_existing_password).to_string() } else { t_string!(i18n, field_password).to_string() } />
                                    <button type="submit" class="button">{t!(i18n, invitation_accept)}</button>
                                </form>
                            }.into_any()
                        }
                        Err(e) => {
                            view! { <p role="alert">{error_text(i18n, &sfn_code(&e))}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <SignedIn child=|me| view! { <Dashboard me /> }.into_any() /> }
}

#[component]
fn Dashboard(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let flash = move |k: &'static str| q.read().get(k).is_some();
    let company = me.enterprise().cloned();
    let is_admin = me.has_role(Role::EnterpriseAdmin);
    let roles = me.roles.clone();
    view! {
        <section class="dashboard" aria-labelledby="dash-title">
            <PageTitle text=t_string!(i18n, dashboard_title).to_string() />
            <h1 id="dash-title">{t!(i18n, dashboard_title)}</h1>
            <p>{t!(i18n, signed_in_as)} " " <strong>{me.display_name.clone()}</strong> " (" {me.email.clone()} ")"</p>
            <FormErrors />
            {(!me.email_verified).then(|| view! {
                <div class="banner" role="status">
                    <p>{t!(i18n, verify_banner)}</p>
                    <form method="post" action="/forms/resend-verification"><button type="submit" class="button button--small">{t!(i18n, resend_verification)}</button></form>
                </div>
            })}
            <Show when=move || flash("resent")><p role="status" class="form-ok">{t!(i18n, resent)}</p></Show>
            <Show when=move || flash("invited")><p role="status" class="form-ok">{t!(i18n, invited)}</p></Show>
            <Show when=move || flash("removed")><p role="status" class="form-ok">{t!(i18n, removed)}</p></Show>
            <crate::pages::registry::RegistryLinks me=me.clone() />
            {(me.has_role(Role::ParkManager) || me.has_role(Role::AgencyReviewer) || me.has_role(Role::AgencyLead) || me.has_role(Role::Expert)).then(|| view! {
                <h2>{t!(i18n, review_heading)}</h2>
                <ul data-testid="review-links">
                    {(me.has_role(Role::ParkManager) || me.has_role(Role::AgencyReviewer) || me.has_role(Role::AgencyLead)).then(|| view! { <li><a href="/review">{t!(i18n, review_title)}</a></li> })}
                    {me.has_role(Role::AgencyLead).then(|| view! { <li><a href="/review/dashboard">{t!(i18n, dash_title)}</a></li> })}
                    {me.has_role(Role::AgencyLead).then(|| view! { <li><a href="/review/notices">{t!(i18n, publish_title)}</a></li> })}
                    {me.has_role(Role::Expert).then(|| view! { <li><a href="/expert">{t!(i18n, expert_title)}</a></li> })}
                    <li><a href="/notifications">{t!(i18n, notif_title)}</a></li>
                </ul>
            })}
            <h2>{t!(i18n, your_roles)}</h2>
            <ul class="roles">
                {roles.into_iter().map(|g| view! { <li>{role_text(i18n, g.role)} {g.scope_name.map(|s| format!(" · {s}"))}</li> }).collect_view()}
            </ul>
            {company.as_ref().map(|_| view! { <ProgramsForYou /> })}
            {company.and_then(|c| c.enterprise_id.map(|id| (id, c.scope_name.unwrap_or_default()))).map(|(id, name)| view! {
                <CompanyMembers enterprise_id=id name is_admin me_id=me.id />
            })}
            {(me.has_role(Role::SystemAdmin) || me.has_role(Role::AgencyLead)).then(|| {
                let admin = me.has_role(Role::SystemAdmin);
                view! {
                    <h2>{t!(i18n, admin_heading)}</h2>
                    <ul>
                        {admin.then(|| view! { <li><a href="/admin/users">{t!(i18n, admin_users_title)}</a></li> })}
                        <li><a href="/admin/invitations">{t!(i18n, admin_invite_title)}</a></li>
                        <li><a href="/admin/programs">{t!(i18n, admin_programs_title)}</a></li>
                        {admin.then(|| view! { <li><a href="/admin/audit">{t!(i18n, admin_audit_title)}</a></li> })}
                        {admin.then(|| view! { <li><a href="/admin/bases">{t!(i18n, admin_bases_title)}</a></li> })}
                        {admin.then(|| view! { <li><a href="/admin/calendar">{t!(i18n, admin_calendar_title)}</a></li> })}
                        {admin.then(|| view! { <li><a href="/admin/jobs">{t!(i18n, admin_jobs_title)}</a></li> })}
                        {admin.then(|| view! { <li><a href="/admin/claims">{t!(i18n, admin_claims_title)}</a></li> })}
                    </ul>
                }
            })}
            <Show when=move || flash("transferred")><p role="status" class="form-ok">{t!(i18n, transferred)}</p></Show>
            <p><a href="/account">{t!(i18n, nav_account)}</a></p>
        </section>
    }
}

/// The programs open or upcoming for the company, best fit first, with the reasons it may not
/// apply to the others; and its applications.
#[component]
fn ProgramsForYou() -> impl IntoView {
    let i18n = use_i18n();
    let lang = if crate::components::text::is_english(i18n) { "en" } else { "zh-CN" };
    let fits = Resource::new(|| (), move |_| crate::server_fns::programs_for_you(lang.to_string()));
    view! {
        <section aria-labelledby="for-you-title">
            <h2 id="for-you-title">{t!(i18n, programs_for_you)}</h2>
            <p><a href="/applications">{t!(i18n, apps_title)}</a></p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match fits.await {
                        Ok(list) => view! {
                            <ul class="cards" data-testid="programs-for-you">
                                {list.into_iter().map(|f| view! {
                                    <li class="card" data-program=f.code.clone() data-eligible=f.eligible.to_string()>
                                        <h3 class="card__title"><a href=format!("/programs/{}", f.code)>{crate::components::text::bilingual(i18n, f.title.clone())}</a> " " {crate::pages::programs::status_badge(i18n, f.call_status)}</h3>
                                        {if f.eligible {
                                            view! { <p class="form-ok">{t!(i18n, guide_eligible)}</p> }.into_any()
                                        } else {
                                            view! { <ul>{f.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul> }.into_any()
                                        }}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => ().into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CompanyMembers(enterprise_id: i64, name: String, is_admin: bool, me_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let members = Resource::new(move || enterprise_id, get_members);
    view! {
        <h2 data-testid="company-name">{name}</h2>
        <h3>{t!(i18n, members_heading)}</h3>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let list = members.await.unwrap_or_default();
                view! {
                    <table class="table">
                        <caption class="visually-hidden">{t!(i18n, members_heading)}</caption>
                        <thead><tr><th scope="col">{t!(i18n, field_contact_name)}</th><th scope="col">{t!(i18n, field_email)}</th><th scope="col">{t!(i18n, role_heading)}</th><th scope="col"><span class="visually-hidden">{t!(i18n, actions)}</span></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|m| {
                                let action = format!("/forms/enterprises/{enterprise_id}/members/{}/remove", m.user_id);
                                let can_remove = is_admin && m.user_id != me_id;
                                let label = format!("{} {}", t_string!(i18n, remove_member), m.display_name);
                                view! {
                                    <tr>
                                        <td>{m.display_name.clone()}</td>
                                        <td>{m.email.clone()}</td>
                                        <td>{role_text(i18n, m.role)}</td>
                                        <td>{can_remove.then(|| {
                                            let transfer = format!("/forms/enterprises/{enterprise_id}/transfer-admin");
                                            let transfer_label = format!("{} {}", t_string!(i18n, transfer_admin), m.display_name);
                                            let member = m.role == Role::EnterpriseMember;
                                            view! {
                                                <form method="post" action=action.clone() class="inline"><button type="submit" class="button button--small" aria-label=label.clone()>{t!(i18n, remove_member)}</button></form>
                                                {member.then(|| view! {
                                                    <form method="post" action=transfer class="inline">
                                                        <input type="hidden" name="user_id" value=m.user_id.to_string() />
                                                        <button type="submit" class="button button--small button--secondary" aria-label=transfer_label>{t!(i18n, transfer_admin)}</button>
                                                    </form>
                                                })}
                                            }
                                        })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </Suspense>
        {is_admin.then(|| view! {
            <form method="post" action=format!("/forms/enterprises/{enterprise_id}/invitations") class="form form--inline">
                <TextField name="email" label=t_string!(i18n, invite_colleague).to_string() kind="email" autocomplete="off" />
                <button type="submit" class="button">{t!(i18n, invite_submit)}</button>
            </form>
        })}
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    view! { <SignedIn child=|me| view! { <Account me /> }.into_any() /> }
}

#[component]
fn Account(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let sessions = Resource::new(|| (), |_| get_sessions());
    view! {
        <section class="form-page" aria-labelledby="acct-title">
            <PageTitle text=t_string!(i18n, account_title).to_string() />
            <h1 id="acct-title">{t!(i18n, account_title)}</h1>
            <p>{me.email.clone()}</p>
            <FormErrors />
            <Show when=move || q.read().get("password").is_some()><p role="status" class="form-ok">{t!(i18n, password_changed)}</p></Show>
            <h2>{t!(i18n, sessions_heading)}</h2>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let list = sessions.await.unwrap_or_default();
                    view! {
                        <ul class="sessions">
                            {list.into_iter().map(|s| view! {
                                <li>
                                    <span>{s.user_agent.clone().unwrap_or_default()} " · " {s.ip.clone().unwrap_or_default()} " · " {s.last_seen_at.format("%Y-%m-%d %H:%M UTC").to_string()}</span>
                                    {s.current.then(|| view! { <strong>" (" {t!(i18n, this_session)} ")"</strong> })}
                                    <form method="post" action="/forms/sessions/end">
                                        <input type="hidden" name="session" value=s.id.clone() />
                                        <button type="submit" class="button button--small">{t!(i18n, end_session)}</button>
                                    </form>
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Suspense>
            <form method="post" action="/forms/sessions/end"><button type="submit" class="button">{t!(i18n, end_all_sessions)}</button></form>
            <h2>{t!(i18n, second_factor_heading)}</h2>
            <p>{if me.second_factor_enabled { t_string!(i18n, second_factor_on) } else { t_string!(i18n, second_factor_off) }}</p>
            <p><a class="button button--secondary" href="/account/second-factor">{if me.second_factor_enabled { t_string!(i18n, second_factor_replace) } else { t_string!(i18n, second_factor_enable) }}</a></p>
            <h2>{t!(i18n, field_mail_language)}</h2>
            <Show when=move || q.read().get("locale").is_some()><p role="status" class="form-ok">{t!(i18n, saved)}</p></Show>
            <form method="post" action="/forms/locale" class="form form--inline">
                <div class="field">
                    <label for="mail-locale">{t!(i18n, field_mail_language)}</label>
                    <select id="mail-locale" name="locale">
                        <option value="zh-CN" selected=me.locale != "en">"中文"</option>
                        <option value="en" selected=me.locale == "en">"English"</option>
                    </select>
                </div>
                <button type="submit" class="button">{t!(i18n, save)}</button>
            </form>
            <ApiTokens />
            <h2>{t!(i18n, change_password)}</h2>
            <form method="post" action="/forms/password" class="form">
                <TextField name="current_password" label=t_string!(i18n, field_current_password).to_string() kind="password" autocomplete="current-password" refill=false />
                <TextField name="new_password" label=t_string!(i18n, field_new_password).to_string() kind="password" autocomplete="new-password" hint=t_string!(i18n, hint_password).to_string() refill=false />
                <div class="check"><input type="checkbox" id="revoke_api_tokens" name="revoke_api_tokens" value="true" /><label for="revoke_api_tokens">{t!(i18n, field_revoke_api_tokens)}</label></div>
                <button type="submit" class="button">{t!(i18n, change_password)}</button>
            </form>
        </section>
    }
}

/// Personal API tokens: issue (the secret is shown once, on the page the form returns to),
/// list, revoke. Plain forms: the same with or without JavaScript.
#[component]
fn ApiTokens() -> impl IntoView {
    let i18n = use_i18n();
    let tokens = Resource::new(|| (), |_| list_api_tokens());
    let created = Resource::new(|| (), |_| crate::server_fns::take_new_token());
    let name = query_value("token_name");
    let days = query_value("token_days");
    let scope = query_value("token_scope");
    view! {
        <h2 id="tokens">{t!(i18n, tokens_heading)}</h2>
        <p>{t!(i18n, tokens_intro)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                created.await.ok().flatten().map(|secret| view! {
                    <p class="form-ok" role="status">{t!(i18n, token_created)} " " <code data-testid="new-token">{secret}</code></p>
                })
            })}
        </Suspense>
        <form method="post" action="/forms/tokens" class="form" novalidate=true>
            <div class="field">
                <label for="f-name">{t!(i18n, token_name)}</label>
                <input id="f-name" name="name" required=true maxlength="100" value=move || name.get() aria-describedby="f-name-error" />
                <FieldMessage name="name" />
            </div>
            <div class="field">
                <label for="f-scope">{t!(i18n, token_scope)}</label>
                <select id="f-scope" name="scope" aria-describedby="f-scope-error">
                    <option value="read" selected=move || scope.get() != "write">{t!(i18n, token_read)}</option>
                    <option value="write" selected=move || scope.get() == "write">{t!(i18n, token_write)}</option>
                </select>
                <FieldMessage name="scope" />
            </div>
            <div class="field">
                <label for="f-expires_in_days">{t!(i18n, token_days)}</label>
                <input id="f-expires_in_days" name="days" type="number" min="1" max="365" required=true
                    value=move || { let d = days.get(); if d.is_empty() { "90".to_string() } else { d } }
                    aria-describedby="f-expires_in_days-error" />
                <FieldMessage name="expires_in_days" />
            </div>
            <button type="submit" class="button">{t!(i18n, token_create)}</button>
        </form>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let list = tokens.await.unwrap_or_default();
                view! {
                    <ul class="sessions">
                        {list.into_iter().map(|t| {
                            let action = format!("/forms/tokens/{}/revoke", t.id);
                            view! {
                                <li>
                                    <strong>{t.name.clone()}</strong> " · " <code>{t.prefix.clone()} "…"</code> " · " {t.scope.clone()} " · "
                                    {t.expires_at.format("%Y-%m-%d").to_string()}
                                    {if t.revoked { view! { " · " {t!(i18n, token_revoked)} }.into_any() } else {
                                        view! { <form method="post" action=action class="inline"><button type="submit" class="button button--small">{t!(i18n, token_revoke)}</button></form> }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            })}
        </Suspense>
    }
}
