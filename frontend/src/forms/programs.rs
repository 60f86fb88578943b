//! The program editor's forms: start a new program from an existing one, and save (or discard)
//! a definition typed as TOML. What could not be saved (it does not parse, fails its checks, or
//! the second-factor check must come first) is kept for its author (`programs::edits`) and
//! shown again, so nothing typed is lost; the definition is too large to travel back in the
//! refill cookie.

use super::*;
use backend::programs::{edits, save_program};

fn editor_page(code: &str) -> String {
    format!("/admin/programs/{}", enc(code))
}

/// `code` and `from`: the editor for a new program `code`, starting from program `from`.
async fn post_new(state: web::Data<AppState>, identity: MaybeIdentity, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login?next=/admin/programs") };
    let get = |k: &str| form.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let (code, from) = (get("code"), get("from"));
    let (c, f) = (code.clone(), from.clone());
    let checked = state
        .db
        .run(move |conn| {
            let (code, from) = (c, f);
            let code = save_program::check_code(&code)?;
            if edits::may_edit(conn, &identity, &code)? {
                return Err(AppError::field("code", "code_taken", "A program has this code."));
            }
            // The program to start from must be there (the editor page reads it).
            if !from.is_empty() {
                backend::programs::load(conn, &from)?;
            }
            Ok((code, from))
        })
        .await;
    match checked {
        Ok((code, from)) => see_other(&format!("{}?from={}", editor_page(&code), enc(&from))),
        Err(e) => back("/admin/programs", &e, &[("code", code.as_str()), ("from", from.as_str())]),
    }
}

/// Save the definition typed for program `code` (`action=discard`: drop the kept edit).
async fn post_save(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<String>, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let code = path.into_inner();
    let page = editor_page(&code);
    let Some(identity) = identity.0 else { return see_other(&format!("/login?next={}", enc(&page))) };
    let code = match save_program::check_code(&code) {
        Ok(c) => c,
        Err(e) => return back("/admin/programs", &e, &[]),
    };
    let meta = RequestMeta::from_request(&req);
    let user = identity.user_id;
    if form.get("action").map(String::as_str) == Some("discard") {
        let c = code.clone();
        return match state.db.write(move |conn| edits::discard(conn, &meta, user, &c)).await {
            Ok(()) => see_other(&page),
            Err(e) => back(&page, &e, &[]),
        };
    }
    let text = form.get("definition").cloned().unwrap_or_default();
    let city_code = form.get("city_code").map(|c| c.trim().to_string()).unwrap_or_default();
    let sort_order: i32 = form.get("sort_order").and_then(|s| s.trim().parse().ok()).unwrap_or(100);
    // Only the program's editors may keep text under its code.
    let (who, c) = (identity.clone(), code.clone());
    if let Err(e) = state.db.run(move |conn| edits::may_edit(conn, &who, &c)).await {
        return back(&page, &e, &[]);
    }
    let keep = |problem: String| {
        let (meta, code, city, text) = (meta.clone(), code.clone(), city_code.clone(), text.clone());
        let state = state.clone();
        async move { state.db.write(move |conn| edits::keep(conn, &meta, user, &code, &city, sort_order, &text, &problem)).await }
    };
    if backend::accounts::second_factor::require_step_up(&state, &identity).is_err() {
        // Kept first: the second-factor check comes back to the editor, which shows it again.
        return match keep(String::new()).await {
            Ok(()) => see_other(&format!("/login/second-factor?next={}", enc(&page))),
            Err(e) => back(&page, &e, &[]),
        };
    }
    let definition = match edits::parse(&text) {
        Ok(d) => d,
        Err(e) => {
            let problem = match &e {
                AppError::Validation(fields) => fields.values().flatten().next().map(|p| p.message.clone()).unwrap_or_default(),
                _ => String::new(),
            };
            return match keep(problem).await {
                Ok(()) => back(&page, &e, &[]),
                Err(kept) => back(&page, &kept, &[]),
            };
        }
    };
    let body = save_program::SaveProgram { city_code: city_code.clone(), sort_order, definition };
    let (m, who, c) = (meta.clone(), identity.clone(), code.clone());
    let saved = state
        .db
        .write(move |conn| {
            let saved = save_program::define(conn, &m, &who, &c, &body)?;
            edits::discard(conn, &m, user, &c)?;
            Ok(saved)
        })
        .await;
    match saved {
        Ok(s) => see_other(&format!("{page}?saved={}&version={}", s.outcome, s.version)),
        Err(e) => match keep(String::new()).await {
            Ok(()) => back(&page, &e, &[]),
            Err(kept) => back(&page, &kept, &[]),
        },
    }
}

/// The largest editor post: a definition with long guides in both languages (Chinese text is
/// nine bytes a character once form-encoded), far above the 16 KB of other forms.
const MAX_DEFINITION_POST: usize = 512 * 1024;

/// Mount the program editor's forms.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/forms/programs")
            .app_data(web::FormConfig::default().limit(MAX_DEFINITION_POST))
            .route("/new", web::post().to(post_new))
            .route("/{code}", web::post().to(post_save)),
    );
}
