//! Each person's notifications: `GET /api/v1/notifications` (newest first, with the unread
//! count the header shows), `POST /api/v1/notifications/{id}/read`, and which kinds they do not
//! want by email (`GET`/`PUT /api/v1/me/notification-settings`; the obligatory ones stay on).

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use shared::notifications::{NoticeKind, NotificationList, NotificationSettings, NotificationView};
use utoipa::IntoParams;

use crate::accounts::audit::{record, Event, RequestMeta};
use crate::db::schema::{notifications, users};
use crate::db::{now, DbConn};
use crate::error::AppError;
use crate::pagination::PageQuery;
use crate::principal::Identity;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct InboxQuery {
    /// Only those not read yet.
    pub unread: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

type Row = (i64, String, Option<i64>, String, String, String, NaiveDateTime, Option<NaiveDateTime>);

fn view(r: Row) -> NotificationView {
    NotificationView {
        id: r.0,
        kind: NoticeKind::parse(&r.1).unwrap_or(NoticeKind::WorkArrived),
        application_id: r.2,
        title: r.3,
        body: r.4,
        link: r.5,
        created_at: r.6.and_utc(),
        read: r.7.is_some(),
    }
}

const COLUMNS: (
    notifications::id,
    notifications::kind,
    notifications::application_id,
    notifications::title,
    notifications::body,
    notifications::link,
    notifications::created_at,
    notifications::read_at,
) = (
    notifications::id,
    notifications::kind,
    notifications::application_id,
    notifications::title,
    notifications::body,
    notifications::link,
    notifications::created_at,
    notifications::read_at,
);

/// How many of `user`'s notifications are unread (the header's count).
pub fn unread_count(conn: &mut DbConn, user: i64) -> QueryResult<i64> {
    notifications::table.filter(notifications::user_id.eq(user)).filter(notifications::read_at.is_null()).count().get_result(conn)
}

/// `identity`'s notifications, newest first.
pub fn list(conn: &mut DbConn, identity: &Identity, q: &InboxQuery) -> Result<NotificationList, AppError> {
    let (page, per_page) = PageQuery { page: q.page, per_page: q.per_page }.validate()?;
    let mut query = notifications::table.filter(notifications::user_id.eq(identity.user_id)).into_boxed();
    let mut counted = notifications::table.filter(notifications::user_id.eq(identity.user_id)).into_boxed();
    if q.unread == Some(true) {
        query = query.filter(notifications::read_at.is_null());
        counted = counted.filter(notifications::read_at.is_null());
    }
    let total: i64 = counted.count().get_result(conn)?;
    let rows: Vec<Row> = query.order(notifications::id.desc()).select(COLUMNS).limit(per_page).offset((page - 1) * per_page).load(conn)?;
    Ok(NotificationList { items: rows.into_iter().map(view).collect(), unread: unread_count(conn, identity.user_id)?, total, page, per_page })
}

/// Mark notification `id` of `identity` read (404 for anyone else's), inside the caller's write.
pub fn mark_read(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<NotificationView, AppError> {
    let mine = notifications::table.filter(notifications::id.eq(id)).filter(notifications::user_id.eq(identity.user_id));
    diesel::update(mine.filter(notifications::read_at.is_null())).set(notifications::read_at.eq(now())).execute(conn)?;
    let row: Row = notifications::table.filter(notifications::id.eq(id)).filter(notifications::user_id.eq(identity.user_id)).select(COLUMNS).first(conn).optional()?.ok_or(AppError::NotFound("the notification"))?;
    Ok(view(row))
}

/// Mark every notification of `identity` read; answers how many were unread.
pub fn mark_all_read(conn: &mut DbConn, identity: &Identity) -> Result<usize, AppError> {
    Ok(diesel::update(notifications::table.filter(notifications::user_id.eq(identity.user_id)).filter(notifications::read_at.is_null())).set(notifications::read_at.eq(now())).execute(conn)?)
}

pub fn settings(conn: &mut DbConn, user: i64) -> Result<NotificationSettings, AppError> {
    let off: String = users::table.find(user).select(users::email_off).first(conn)?;
    let kinds: Vec<String> = serde_json::from_str(&off).unwrap_or_default();
    Ok(NotificationSettings { email_off: kinds.iter().filter_map(|k| NoticeKind::parse(k)).filter(|k| !k.obligatory()).collect() })
}

/// Save which kinds `identity` does not want by email (422 `not_allowed` on an obligatory one).
pub fn save_settings(conn: &mut DbConn, meta: &RequestMeta, identity: &Identity, input: &NotificationSettings) -> Result<NotificationSettings, AppError> {
    if let Some((i, k)) = input.email_off.iter().enumerate().find(|(_, k)| k.obligatory()) {
        return Err(AppError::field(&format!("email_off.{i}"), "not_allowed", format!("{} is obligatory: it asks you to act by a deadline or decides against you.", k.as_str())));
    }
    let mut kinds: Vec<&str> = input.email_off.iter().map(|k| k.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let json = serde_json::to_string(&kinds).map_err(|e| AppError::Internal(e.into()))?;
    diesel::update(users::table.find(identity.user_id)).set(users::email_off.eq(&json)).execute(conn)?;
    record(conn, meta, Event::new("account_updated").actor(identity.user_id).subject(identity.user_id).detail(serde_json::json!({ "email_off": kinds })))?;
    settings(conn, identity.user_id)
}

/// The caller's notifications, newest first, with the number unread.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "accounts", params(InboxQuery),
    responses((status = 200, body = NotificationList), (status = 401, description = "`unauthenticated`"), (status = 422, description = "`page` or `per_page` out of range")))]
#[get("/notifications")]
pub async fn get_notifications(state: web::Data<AppState>, identity: Identity, q: web::Query<InboxQuery>) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| list(conn, &identity, &q)).await?))
}

/// Mark one of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = NotificationView), (status = 401, description = "`unauthenticated`"), (status = 404, description = "`not_found`: not the caller's")))]
#[post("/notifications/{id}/read")]
pub async fn post_read(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(state.db.write(move |conn| mark_read(conn, &identity, id)).await?))
}

/// Mark all of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "accounts",
    responses((status = 204, description = "All read"), (status = 401, description = "`unauthenticated`")))]
#[post("/notifications/read-all")]
pub async fn post_read_all(state: web::Data<AppState>, identity: Identity) -> Result<HttpResponse, AppError> {
    state.db.write(move |conn| mark_all_read(conn, &identity)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The kinds of notification the caller does not want by email.
#[utoipa::path(get, path = "/api/v1/me/notification-settings", tag = "accounts",
    responses((status = 200, body = NotificationSettings), (status = 401, description = "`unauthenticated`")))]
#[get("/me/notification-settings")]
pub async fn get_settings(state: web::Data<AppState>, identity: Identity) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| settings(conn, identity.user_id)).await?))
}

/// Choose the kinds of notification not sent by email (still listed in the portal). The
/// obligatory kinds (returned for supplement, drawn as an expert, rejected, reminders,
/// escalations) are always sent.
#[utoipa::path(put, path = "/api/v1/me/notification-settings", tag = "accounts", request_body = NotificationSettings,
    responses((status = 200, body = NotificationSettings), (status = 401, description = "`unauthenticated`"), (status = 422, description = "`email_off.<i>` `not_allowed`: an obligatory kind")))]
#[put("/me/notification-settings")]
pub async fn put_settings(state: web::Data<AppState>, req: HttpRequest, identity: Identity, body: web::Json<NotificationSettings>) -> Result<HttpResponse, AppError> {
    let (meta, body) = (RequestMeta::from_request(&req), body.into_inner());
    Ok(HttpResponse::Ok().json(state.db.write(move |conn| save_settings(conn, &meta, &identity, &body)).await?))
}
