//! The filing steps' browser side, two islands over forms that work without them:
//!
//! - [`ProjectForm`] is the project step's form. As fields are typed it shows the amount they
//!   come to (the same `shared` function the server stores it with), checks each field as it is
//!   left (the value parses; a filled field passes the program's checks), saves the draft by
//!   itself a moment after typing stops (`PUT /api/v1/applications/{id}`, the public API), and
//!   on "save" stops a post whose values do not parse, with a summary that takes the focus.
//! - [`UploadForm`] is one material's upload form: it sends the file with
//!   `XMLHttpRequest` (the one browser API that reports upload progress) to
//!   `POST /api/v1/applications/{id}/materials`, shows a progress bar, and on success loads
//!   the materials page as the form post would.
//!
//! Without JavaScript both are the plain forms inside them; the server checks everything again.

use std::time::Duration;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::web_sys;
use shared::filing::{Project, ProjectRules};
use shared::project_form::{form_field, merge_step, project_from_fields, Step};
use wasm_bindgen::JsCast;

use crate::components::form::error_text;
use crate::i18n::*;

/// How long after the last keystroke the draft saves itself.
const AUTOSAVE_AFTER: Duration = Duration::from_millis(1200);

/// The form's fields as (name, value), files left out.
fn form_fields(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
    let Ok(data) = web_sys::FormData::new_with_form(form) else { return Vec::new() };
    let Ok(Some(entries)) = js_sys::try_iter(&data) else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter_map(|pair| {
            let pair: js_sys::Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// The form an event happened in.
fn form_of(ev: &web_sys::Event) -> Option<web_sys::HtmlFormElement> {
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    target.closest("form").ok()??.dyn_into().ok()
}

/// Show (or with `None`, clear) a field's message in its `f-<name>-error` element, and mark the
/// field `aria-invalid`.
fn show_field_error(i18n: leptos_i18n::I18nContext<Locale>, name: &str, code: Option<&str>) {
    let doc = document();
    if let Some(message) = doc.get_element_by_id(&format!("f-{name}-error")) {
        message.set_text_content(code.map(|c| error_text(i18n, c)).as_deref());
        if let Some(field) = message.closest(".field").ok().flatten() {
            let _ = if code.is_some() { field.class_list().add_1("field--error") } else { field.class_list().remove_1("field--error") };
        }
    }
    if let Some(input) = doc.get_element_by_id(&format!("f-{name}")) {
        let _ = input.set_attribute("aria-invalid", if code.is_some() { "true" } else { "false" });
    }
}

/// The text of a field's label (what the summary names it by).
fn label_of(name: &str) -> String {
    document()
        .query_selector(&format!("label[for='f-{name}']"))
        .ok()
        .flatten()
        .and_then(|l| l.text_content())
        .map(|t| t.trim().to_string())
        .unwrap_or_else(|| name.to_string())
}

#[derive(Clone, Copy, PartialEq)]
enum Saving {
    Idle,
    Pending,
    Saved,
    Failed,
}

/// The project step's form (see the module's text). `amount` is the amount of the saved draft,
/// `today` the server's day (a date after it is "in the future").
#[island]
pub fn ProjectForm(id: i64, rules: ProjectRules, today: NaiveDate, amount: Option<i64>, step: Step, saved: serde_json::Value, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let kind = rules.kind;
    let rules = StoredValue::new(rules);
    // The project as saved: the other page's fields, which this page's form does not hold.
    let saved = StoredValue::new(saved);
    let (amount, set_amount) = signal(amount);
    let (saving, set_saving) = signal(Saving::Idle);
    let (summary, set_summary) = signal(Vec::<(String, String, String)>::new());
    let summary_ref = NodeRef::<leptos::html::Div>::new();
    let timer = StoredValue::new_local(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    // Bumped by every keystroke: a save answers only if nothing was typed while it ran.
    let generation = StoredValue::new(0u64);

    let read = move |form: &web_sys::HtmlFormElement| {
        let fields = form_fields(form);
        let (typed, unparsed) = project_from_fields(kind, |k| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()));
        (saved.with_value(|saved| merge_step(kind, Some(step), saved, typed)), unparsed)
    };

    let save = move |json: serde_json::Value| {
        let sent = generation.get_value();
        set_saving.set(Saving::Pending);
        leptos::task::spawn_local(async move {
            let ok = put_draft(id, &json).await;
            if generation.get_value() == sent {
                set_saving.set(if ok { Saving::Saved } else { Saving::Failed });
            }
        });
    };

    let on_input = move |ev: web_sys::Event| {
        let Some(form) = form_of(&ev) else { return };
        let (json, _) = read(&form);
        let project = Project::from_json(kind, json.clone()).ok();
        set_amount.set(project.and_then(|p| rules.with_value(|r| p.amount(&r.amount))).map(|w| w.amount_fen));
        generation.update_value(|g| *g += 1);
        if let Some(t) = timer.get_value() {
            t.clear();
        }
        let handle = set_timeout_with_handle(move || save(json), AUTOSAVE_AFTER).ok();
        timer.set_value(handle);
    };

    // A field left (or a choice made): its own message, from the same checks as the server's.
    let on_change = move |ev: web_sys::Event| {
        let Some(form) = form_of(&ev) else { return };
        let Some(name) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.get_attribute("name")) else { return };
        let (json, unparsed) = read(&form);
        let mut code = unparsed.iter().find(|(f, _)| *f == name).map(|(_, c)| c.to_string());
        if code.is_none() {
            if let Ok(project) = Project::from_json(kind, json) {
                // "Required" waits for the check page: a field not yet filled is not an error.
                code = rules.with_value(|r| project.problems(r, today)).into_iter().find(|(path, c)| form_field(path) == name && *c != "required").map(|(_, c)| c.to_string());
            }
        }
        show_field_error(i18n, &name, code.as_deref());
        if code.is_none() {
            set_summary.update(|s| s.retain(|(f, ..)| *f != name));
        }
    };

    let on_submit = move |ev: web_sys::SubmitEvent| {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
        let (_, unparsed) = read(&form);
        if unparsed.is_empty() {
            // The post saves everything; a pending save would only repeat it.
            if let Some(t) = timer.get_value() {
                t.clear();
            }
            return;
        }
        ev.prevent_default();
        for (field, code) in &unparsed {
            show_field_error(i18n, field, Some(code));
        }
        // The server's summary of an earlier post is replaced by this one.
        if let Some(old) = document().get_element_by_id("form-error") {
            old.remove();
        }
        set_summary.set(unparsed.into_iter().map(|(f, c)| (label_of(&f), f, c.to_string())).collect());
        request_animation_frame(move || {
            if let Some(el) = summary_ref.get_untracked() {
                let _ = el.focus();
            }
        });
    };

    view! {
        <div class="form-error" role="alert" tabindex="-1" node_ref=summary_ref data-testid=move || (!summary.read().is_empty()).then_some("error-summary") hidden=move || summary.read().is_empty()>
            <p><strong>{t!(i18n, form_errors_fields, count = move || summary.read().len())}</strong></p>
            <ul>
                {move || summary.get().into_iter().map(|(label, field, code)| view! {
                    <li><a href=format!("#f-{field}")>{label} ": " {error_text(i18n, &code)}</a></li>
                }).collect_view()}
            </ul>
        </div>
        <form method="post" action=format!("/forms/applications/{id}/project") class="form" novalidate=true on:input=on_input on:change=on_change on:submit=on_submit>
            <input type="hidden" name="step" value=step.as_str() />
            {children()}
            {(step == Step::Amount).then(|| view! {
                <p data-testid="live-amount" aria-live="polite">
                    {t!(i18n, computed_amount)} ": "
                    {move || match amount.get() {
                        Some(f) => format!("{} {}", shared::Fen(f).format_yuan(), t_string!(i18n, yuan_unit)),
                        None => t_string!(i18n, amount_incomplete).to_string(),
                    }}
                </p>
            })}
            <p class="field__hint" aria-live="polite" data-testid="autosave">
                {move || match saving.get() {
                    Saving::Idle => String::new(),
                    Saving::Pending => t_string!(i18n, autosave_saving).to_string(),
                    Saving::Saved => t_string!(i18n, autosave_saved).to_string(),
                    Saving::Failed => t_string!(i18n, autosave_failed).to_string(),
                }}
            </p>
            <button type="submit" name="next" value=if step == Step::Details { "amount" } else { "materials" } class="button">{t!(i18n, save_continue)}</button>
            " "
            <button type="submit" name="next" value="stay" class="button button--secondary">{t!(i18n, save_draft)}</button>
        </form>
    }
}

/// `PUT /api/v1/applications/{id}` with the project; true when it was saved.
async fn put_draft(id: i64, project: &serde_json::Value) -> bool {
    let body = serde_json::json!({ "project": project }).to_string();
    let init = web_sys::RequestInit::new();
    init.set_method("PUT");
    init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    let Ok(headers) = web_sys::Headers::new() else { return false };
    let _ = headers.set("content-type", "application/json");
    let _ = headers.set("accept", "application/json");
    init.set_headers(&headers);
    let Ok(request) = web_sys::Request::new_with_str_and_init(&format!("/api/v1/applications/{id}"), &init) else { return false };
    match wasm_bindgen_futures::JsFuture::from(window().fetch_with_request(&request)).await {
        Ok(response) => response.dyn_into::<web_sys::Response>().map(|r| r.ok()).unwrap_or(false),
        Err(_) => false,
    }
}

#[derive(Clone, PartialEq)]
enum Upload {
    Idle,
    Sending { loaded: f64, total: f64 },
    Failed(String),
}

/// One material's upload form (see the module's text): `children` are its fields.
#[island]
pub fn UploadForm(id: i64, code: String, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let (state, set_state) = signal(Upload::Idle);
    let code_for_submit = code.clone();
    let on_submit = move |ev: web_sys::SubmitEvent| {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else { return };
        // No usable XMLHttpRequest: the form posts as it would without JavaScript.
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return };
        ev.prevent_default();
        let chosen = data.get("file").dyn_into::<web_sys::File>().ok().filter(|f| !f.name().is_empty());
        if chosen.is_none() {
            set_state.set(Upload::Failed(error_text(i18n, "required")));
            return;
        }
        let progress = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() {
                set_state.set(Upload::Sending { loaded: e.loaded(), total: e.total() });
            }
        });
        let done = {
            let xhr = xhr.clone();
            let code = code_for_submit.clone();
            wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                let status = xhr.status().unwrap_or(0);
                if (200..300).contains(&status) {
                    let _ = window().location().assign(&format!("/applications/{id}/materials?uploaded={}", js_sys::encode_uri_component(&code)));
                    return;
                }
                // The API's error envelope: the first field's code, else its own.
                let text = xhr.response_text().ok().flatten().unwrap_or_default();
                let code = serde_json::from_str::<shared::errors::ErrorEnvelope>(&text).map(|e| e.first_code().to_string()).unwrap_or_default();
                set_state.set(Upload::Failed(error_text(i18n, &code)));
            })
        };
        let failed = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || set_state.set(Upload::Failed(error_text(i18n, "service_unavailable"))));
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        xhr.set_onload(Some(done.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(failed.as_ref().unchecked_ref()));
        // The handlers live as long as the page: one upload form's few closures.
        progress.forget();
        done.forget();
        failed.forget();
        let _ = xhr.open("POST", &format!("/api/v1/applications/{id}/materials"));
        let _ = xhr.set_request_header("accept", "application/json");
        set_state.set(Upload::Sending { loaded: 0.0, total: 0.0 });
        if xhr.send_with_opt_form_data(Some(&data)).is_err() {
            set_state.set(Upload::Failed(error_text(i18n, "service_unavailable")));
        }
    };
    let progress_id = format!("progress-{code}");
    view! {
        <form method="post" action=format!("/forms/applications/{id}/materials") enctype="multipart/form-data" class="form form--inline" on:submit=on_submit>
            {children()}
        </form>
        {move || match state.get() {
            Upload::Idle => ().into_any(),
            Upload::Sending { loaded, total } => {
                let percent = if total > 0.0 { (loaded / total * 100.0).round() } else { 0.0 };
                view! {
                    <div class="upload-progress" data-testid="upload-progress">
                        <label for=progress_id.clone()>{t!(i18n, material_uploading)} " " {format!("{percent}%")}</label>
                        <progress id=progress_id.clone() max="100" value=percent.to_string()>{format!("{percent}%")}</progress>
                    </div>
                }
                .into_any()
            }
            Upload::Failed(text) => view! { <p class="field__error" role="alert">{text}</p> }.into_any(),
        }}
    }
}
