//! Leptos server functions: the browser's calls into the backend services. They live under
//! `/_sfn` so that `/api` stays the documented REST API.

use leptos::prelude::*;
use shared::dto::HomeData;

/// Bases and programs for the home page, read from the database.
#[server(prefix = "/_sfn", endpoint = "home_data")]
pub async fn get_home_data() -> Result<HomeData, ServerFnError> {
    use actix_web::web::Data;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let counts = state.tenant_counts.clone();
    state
        .db
        .run(move |conn| {
            let bases = backend::reference::list_bases(conn, &counts)?;
            let programs = backend::reference::list_programs(conn, chrono::Utc::now(), 1, 100)?.items;
            Ok(HomeData { bases, programs })
        })
        .await
        .map_err(|e| ServerFnError::new(e.code()))
}

/// The signed-in person, or `None`.
#[server(prefix = "/_sfn", endpoint = "me")]
pub async fn get_me() -> Result<Option<shared::accounts::Me>, ServerFnError> {
    use actix_web::web::Data;
    use backend::accounts::identity::MaybeIdentity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let MaybeIdentity(identity) = leptos_actix::extract().await?;
    let Some(identity) = identity else { return Ok(None) };
    state
        .db
        .run(move |conn| Ok(Some(backend::accounts::me::load_me(conn, identity.user_id)?)))
        .await
        .map_err(|e: backend::AppError| ServerFnError::new(e.code()))
}

/// Confirm an email address from the emailed link; the error is a code.
#[server(prefix = "/_sfn", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), ServerFnError> {
    use actix_web::web::Data;
    use backend::accounts::audit::RequestMeta;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let req: actix_web::HttpRequest = leptos_actix::extract().await?;
    backend::accounts::register::verify_email(&state, RequestMeta::from_request(&req), &token)
        .await
        .map_err(|e| ServerFnError::new(first_code(&e)))
}

/// What an invitation offers: email, role, organization, whether the account exists.
#[server(prefix = "/_sfn", endpoint = "invitation")]
pub async fn invitation_info(token: String) -> Result<(String, String, Option<String>, bool), ServerFnError> {
    use actix_web::web::Data;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let d = backend::accounts::invitations::inspect(&state, token).await.map_err(|e| ServerFnError::new(first_code(&e)))?;
    Ok((d.email, d.role.as_str().to_string(), d.organization, d.existing_account))
}

/// The members of a company the signed-in person belongs to.
#[server(prefix = "/_sfn", endpoint = "members")]
pub async fn get_members(enterprise_id: i64) -> Result<Vec<shared::accounts::MemberView>, ServerFnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| ServerFnError::new("unauthenticated"))?;
    identity.require_enterprise(enterprise_id, false).map_err(|e| ServerFnError::new(e.code()))?;
    state
        .db
        .run(move |conn| Ok(backend::accounts::members::list_members(conn, enterprise_id)?))
        .await
        .map_err(|e: backend::AppError| ServerFnError::new(e.code()))
}

/// The signed-in person's sessions.
#[server(prefix = "/_sfn", endpoint = "sessions")]
pub async fn get_sessions() -> Result<Vec<shared::accounts::SessionView>, ServerFnError> {
    use actix_web::web::Data;
    use backend::accounts::Identity;
    use backend::AppState;

    let state: Data<AppState> = leptos_actix::extract().await?;
    let identity: Identity = leptos_actix::extract().await.map_err(|_| ServerFnError::new("unauthenticated"))?;
    let current = identity.session_id().map(str::to_string);
    state
        .db
        .run(move |conn| Ok(backend::accounts::me::list_sessions(conn, identity.user_id, current.as_deref())?))
        .await
        .map_err(|e: backend::AppError| ServerFnError::new(e.code()))
}

/// The first field error code, or the error's own code.
#[cfg(feature = "ssr")]
fn first_code(e: &backend::AppError) -> String {
    match e {
        backend::AppError::Validation(fields) => {
            fields.values().flat_map(|p| p.first()).map(|p| p.code.clone()).next().unwrap_or_else(|| e.code().to_string())
        }
        other => other.code().to_string(),
    }
}
