//! An approved award on the application's page: the amount, the tranche plan, what is paid and
//! what may be paid now, each disbursement, the acceptance and its deadline, and after a
//! revocation the reason, what is to be recovered and the ban. The finance agency's staff get
//! the disbursement (and, after a revocation, the recovery) form; the lead agency's staff the
//! acceptance form.

use leptos::prelude::*;
use shared::awards::AwardView;
use shared::review::Role;

use crate::components::form::{FieldMessage, TextField};
use crate::components::text::Money;
use crate::i18n::*;
use crate::server_fns::award_data;

#[component]
pub fn AwardSection(id: i64) -> impl IntoView {
    let data = Resource::new(move || id, award_data);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some((award, roles))) => view! { <Award award roles /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// What an award file is, in the reader's language.
fn file_kind_text(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
    if kind == "revocation_evidence" {
        t_string!(i18n, award_file_kind_revocation_evidence).to_string()
    } else {
        t_string!(i18n, award_file_kind_acceptance_report).to_string()
    }
}

#[component]
fn Award(award: AwardView, roles: Vec<Role>) -> impl IntoView {
    let i18n = use_i18n();
    let id = award.application_id;
    let open = award.revoked_on.is_none() && award.closed_on.is_none();
    let finance = roles.contains(&Role::Finance);
    let lead_staff = roles.iter().any(|r| matches!(r, Role::Reviewer | Role::AgencyLead));
    let may_pay = finance && open && award.payable_fen > 0;
    let may_accept = lead_staff && open && award.accepted_on.is_none();
    let may_recover = finance && award.revoked_on.is_some() && award.recovered_fen < award.recover_fen;
    let may_evaluate = roles.contains(&Role::Applicant) && award.closed_on.is_some() && award.evaluation_filed_at.is_none();
    let left = award.recover_fen - award.recovered_fen;
    // The lead agency's staff keep the acceptance report while the award is paid; its agency
    // lead the evidence of a revocation, also after it.
    let agency_lead = roles.contains(&Role::AgencyLead);
    let kinds: Vec<&'static str> = [("acceptance_report", lead_staff && open), ("revocation_evidence", agency_lead && award.closed_on.is_none())]
        .into_iter()
        .filter_map(|(k, may)| may.then_some(k))
        .collect();
    let files = award.files.clone();
    view! {
        <section aria-labelledby="award-title" id="award" data-testid="award">
            <h2 id="award-title">{t!(i18n, award_title)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, award_amount)}</dt><dd data-testid="award-amount"><Money amount=shared::Fen(award.amount_fen) /></dd>
                <dt>{t!(i18n, verify_approved_on)}</dt><dd>{award.approved_on.to_string()}</dd>
                <dt>{t!(i18n, award_paid)}</dt><dd data-testid="award-paid"><Money amount=shared::Fen(award.paid_fen) /></dd>
                {open.then(|| view! { <dt>{t!(i18n, award_payable)}</dt><dd data-testid="award-payable"><Money amount=shared::Fen(award.payable_fen) /></dd> })}
                <dt>{t!(i18n, award_acceptance)}</dt>
                <dd data-testid="award-acceptance">{match award.accepted_on {
                    Some(day) => format!("{} {}", t_string!(i18n, award_accepted_on), day),
                    None => format!("{} {}{}", t_string!(i18n, award_acceptance_due), award.acceptance_due_on.map(|d| d.to_string()).unwrap_or_default(),
                        if award.acceptance_overdue { format!(" · {}", t_string!(i18n, award_overdue)) } else { String::new() }),
                }}</dd>
                {award.acceptance_report.clone().map(|r| view! { <dt>{t!(i18n, award_report)}</dt><dd class="prewrap">{r}</dd> })}
                {award.closed_on.map(|d| view! { <dt>{t!(i18n, award_closed_on)}</dt><dd>{d.to_string()}</dd> })}
                {award.revoked_on.map(|d| view! { <dt>{t!(i18n, award_revoked_on)}</dt><dd data-testid="award-revoked">{d.to_string()}</dd> })}
                {award.revoke_reason.clone().map(|r| view! { <dt>{t!(i18n, award_revoke_reason)}</dt><dd class="prewrap">{r}</dd> })}
                {award.revoked_on.is_some().then(|| view! {
                    <dt>{t!(i18n, award_to_recover)}</dt><dd><Money amount=shared::Fen(award.recover_fen) /> " · " {t!(i18n, award_recovered)} " " <Money amount=shared::Fen(award.recovered_fen) /></dd>
                })}
                {award.banned_until.map(|d| view! { <dt>{t!(i18n, award_banned_until)}</dt><dd data-testid="award-ban">{d.to_string()}</dd> })}
            </dl>
            <h3 id="tranches-title">{t!(i18n, award_tranches)}</h3>
            <div class="table-scroll" role="region" tabindex="0" aria-labelledby="tranches-title">
                <table class="table table--stack" data-testid="tranches">
                    <thead><tr><th scope="col">{t!(i18n, award_tranche)}</th><th scope="col">{t!(i18n, award_share)}</th><th scope="col">{t!(i18n, award_amount)}</th><th scope="col">{t!(i18n, award_condition)}</th></tr></thead>
                    <tbody>
                        {award.tranches.iter().enumerate().map(|(i, t)| view! {
                            <tr>
                                <th scope="row" data-label=t_string!(i18n, award_tranche).to_string()>{i + 1}</th>
                                <td data-label=t_string!(i18n, award_share).to_string()>{t.percent} "%"</td>
                                <td data-label=t_string!(i18n, award_amount).to_string()><Money amount=shared::Fen(t.amount_fen) /></td>
                                <td data-label=t_string!(i18n, award_condition).to_string()>{if t.after_acceptance { t_string!(i18n, award_after_acceptance) } else { t_string!(i18n, award_after_approval) }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(!award.disbursements.is_empty()).then(|| view! {
                <h3>{t!(i18n, award_disbursements)}</h3>
                <ul data-testid="disbursements">
                    {award.disbursements.iter().map(|d| view! { <li>{d.paid_on.to_string()} " · " <Money amount=shared::Fen(d.amount_fen) /> " · " {t!(i18n, award_voucher)} " " {d.voucher_number.clone()}</li> }).collect_view()}
                </ul>
            })}
            {(!files.is_empty() || !kinds.is_empty()).then(|| view! {
                <h3 id="award-files">{t!(i18n, award_files_title)}</h3>
                {(!files.is_empty()).then(|| view! {
                    <ul data-testid="award-files">
                        {files.iter().map(|f| {
                            view! { <li>{file_kind_text(i18n, &f.kind)} " · " <a href=format!("/api/v1/applications/{id}/award-files/{}", f.id)>{f.file_name.clone()}</a> " · " {crate::components::text::beijing(f.uploaded_at)}</li> }
                        }).collect_view()}
                    </ul>
                })}
                {(!kinds.is_empty()).then(|| view! {
                    <form method="post" action=format!("/forms/applications/{id}/award-files") enctype="multipart/form-data" class="form card" data-testid="award-files-form">
                        <div class="field">
                            <label for="f-kind">{t!(i18n, award_files_kind_label)}</label>
                            <select id="f-kind" name="kind" aria-describedby="f-kind-error">
                                {kinds.iter().map(|k| view! { <option value=*k>{file_kind_text(i18n, k)}</option> }).collect_view()}
                            </select>
                            <FieldMessage name="kind" />
                        </div>
                        <div class="field">
                            <label for="f-file">{t!(i18n, award_files_file_label)}</label>
                            <span class="field__required" aria-hidden="true">{t!(i18n, field_required_mark)}</span>
                            <input id="f-file" type="file" name="file" multiple=true required=true accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby="f-file-hint f-file-error" />
                            <p class="field__hint" id="f-file-hint">{t!(i18n, award_files_evidence_hint)}</p>
                            <FieldMessage name="file" />
                        </div>
                        <button type="submit" class="button">{t!(i18n, award_files_add)}</button>
                    </form>
                })}
            })}
            {award.evaluation_due_on.map(|due| view! {
                <h3>{t!(i18n, evaluation_title)}</h3>
                <dl class="facts" data-testid="evaluation">
                    <dt>{t!(i18n, evaluation_due)}</dt><dd>{due.to_string()}</dd>
                    {award.evaluation_filed_at.map(|at| view! { <dt>{t!(i18n, evaluation_filed_at)}</dt><dd>{crate::components::text::beijing(at)}</dd> })}
                    {award.evaluation.clone().map(|e| view! { <dt>{t!(i18n, evaluation_title)}</dt><dd class="prewrap">{e}</dd> })}
                </dl>
            })}
            {may_evaluate.then(|| view! {
                <form method="post" action=format!("/forms/applications/{id}/self-evaluation") class="form card" data-testid="evaluation-form">
                    <div class="field">
                        <label for="f-evaluation">{t!(i18n, evaluation_label)}</label>
                        <span class="field__required" aria-hidden="true">{t!(i18n, field_required_mark)}</span>
                        <textarea id="f-evaluation" name="evaluation" rows="6" required=true aria-describedby="f-evaluation-error"></textarea>
                        <FieldMessage name="evaluation" />
                    </div>
                    <button type="submit" class="button">{t!(i18n, evaluation_submit)}</button>
                </form>
            })}
            {may_pay.then(|| view! {
                <form method="post" action=format!("/forms/applications/{id}/disbursements") class="form card" data-testid="disburse-form">
                    <h3>{t!(i18n, act_disburse)}</h3>
                    <TextField name="amount" label=t_string!(i18n, award_amount_yuan).to_string() hint=t_string!(i18n, award_payable_hint).to_string() />
                    <TextField name="paid_on" label=t_string!(i18n, award_paid_on).to_string() kind="date" />
                    <TextField name="voucher_number" label=t_string!(i18n, award_voucher).to_string() />
                    <button type="submit" class="button">{t!(i18n, act_disburse)}</button>
                </form>
            })}
            {may_accept.then(|| view! {
                <form method="post" action=format!("/forms/applications/{id}/acceptance") class="form card" data-testid="accept-form">
                    <h3>{t!(i18n, award_record_acceptance)}</h3>
                    <TextField name="accepted_on" label=t_string!(i18n, award_accepted_on).to_string() kind="date" />
                    <div class="field">
                        <label for="f-report">{t!(i18n, award_report)}</label>
                        <span class="field__required" aria-hidden="true">{t!(i18n, field_required_mark)}</span>
                        <textarea id="f-report" name="report" rows="4" required=true aria-describedby="f-report-error"></textarea>
                        <FieldMessage name="report" />
                    </div>
                    <button type="submit" class="button">{t!(i18n, award_record_acceptance)}</button>
                </form>
            })}
            {may_recover.then(|| view! {
                <form method="post" action=format!("/forms/applications/{id}/recoveries") class="form card" data-testid="recover-form">
                    <h3>{t!(i18n, award_record_recovery)}</h3>
                    <p class="field__hint">{t!(i18n, award_left_to_recover)} " " <Money amount=shared::Fen(left) /></p>
                    <TextField name="amount" label=t_string!(i18n, award_amount_yuan).to_string() />
                    <TextField name="recovered_on" label=t_string!(i18n, award_recovered_on).to_string() kind="date" />
                    <TextField name="voucher_number" label=t_string!(i18n, award_voucher).to_string() />
                    <button type="submit" class="button">{t!(i18n, award_record_recovery)}</button>
                </form>
            })}
        </section>
    }
}
