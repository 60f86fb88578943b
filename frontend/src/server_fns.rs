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
