//! The company profile and its change history. Company users and the park managers of bases
//! the company is (or was) a tenant of read it; the company's administrator edits it; every
//! change is recorded field by field.

use actix_web::{get, put, web};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::dto::Bilingual;
use shared::registry::{BanView, Contact, FieldChange, Profile, ProfileChange, ProfileUpdate, Qualification, QualificationKind, SegmentRef};
use shared::Fen;
use std::collections::BTreeMap;

use crate::accounts::audit::{record, Event, RequestMeta};
use crate::accounts::identity::Identity;
use crate::scope::CompanyScope;
use crate::accounts::members::get_enterprise_scoped;
use crate::db::schema::{enterprise_bans, enterprise_changes, programs, enterprise_contacts, enterprise_qualifications, enterprise_segments, enterprises, segments, users};
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

type ProfileRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<NaiveDate>,
    Option<i32>,
    NaiveDateTime,
);

type ContactRow = (String, Option<String>, Option<String>, Option<String>);

/// Load a profile (no scope check; callers check first).
pub fn load_profile(conn: &mut DbConn, id: i64) -> QueryResult<Profile> {
    let (id, credit_code, division_code, name_zh, name_en, legal, address, district, capital, founded, employees, updated): ProfileRow =
        enterprises::table
            .filter(enterprises::id.eq(id))
            .select((
                enterprises::id,
                enterprises::credit_code,
                enterprises::division_code,
                enterprises::name_zh,
                enterprises::name_en,
                enterprises::legal_representative,
                enterprises::address,
                enterprises::district,
                enterprises::registered_capital_fen,
                enterprises::founded_on,
                enterprises::employees,
                enterprises::updated_at,
            ))
            .first(conn)?;
    let segs: Vec<(String, String, String)> = enterprise_segments::table
        .inner_join(segments::table)
        .filter(enterprise_segments::enterprise_id.eq(id))
        .select((segments::code, segments::name_zh, segments::name_en))
        .order(segments::sort_order)
        .load(conn)?;
    let quals: Vec<(String, String, Option<NaiveDate>, Option<NaiveDate>)> = enterprise_qualifications::table
        .filter(enterprise_qualifications::enterprise_id.eq(id))
        .select((
            enterprise_qualifications::kind,
            enterprise_qualifications::certificate_no,
            enterprise_qualifications::valid_from,
            enterprise_qualifications::valid_until,
        ))
        .order(enterprise_qualifications::id)
        .load(conn)?;
    let contacts: Vec<ContactRow> = enterprise_contacts::table
        .filter(enterprise_contacts::enterprise_id.eq(id))
        .select((enterprise_contacts::name, enterprise_contacts::title, enterprise_contacts::phone, enterprise_contacts::email))
        .order(enterprise_contacts::id)
        .load(conn)?;
    let (verification, verification_reason): (String, Option<String>) =
        enterprises::table.filter(enterprises::id.eq(id)).select((enterprises::verification, enterprises::verification_reason)).first(conn)?;
    let today = crate::clock::beijing_date(crate::db::now());
    let bans: Vec<(Option<String>, Option<String>, NaiveDate, NaiveDate, String)> = enterprise_bans::table
        .left_join(programs::table)
        .filter(enterprise_bans::enterprise_id.eq(id))
        .filter(enterprise_bans::starts_on.le(today))
        .filter(enterprise_bans::ends_on.ge(today))
        .order(enterprise_bans::ends_on.desc())
        .select((programs::title_zh.nullable(), programs::title_en.nullable(), enterprise_bans::starts_on, enterprise_bans::ends_on, enterprise_bans::reason))
        .load(conn)?;
    Ok(Profile {
        bans: bans
            .into_iter()
            .map(|(zh, en, starts_on, ends_on, reason)| BanView { program: zh.map(|zh| Bilingual::new(zh, en.unwrap_or_default())), starts_on, ends_on, reason })
            .collect(),
        verification,
        verification_reason,
        id,
        credit_code,
        division_code,
        name_zh,
        name_en,
        legal_representative: legal,
        address,
        district,
        registered_capital: capital.map(Fen),
        founded_on: founded,
        employees,
        segments: segs.into_iter().map(|(code, zh, en)| SegmentRef { code, name: Bilingual::new(zh, en) }).collect(),
        qualifications: quals
            .into_iter()
            .filter_map(|(kind, certificate_no, valid_from, valid_until)| {
                QualificationKind::parse(&kind).map(|kind| Qualification { kind, certificate_no, valid_from, valid_until })
            })
            .collect(),
        contacts: contacts.into_iter().map(|(name, title, phone, email)| Contact { name, title, phone, email }).collect(),
        updated_at: updated.and_utc(),
    })
}

/// The profile as `identity` may see it (404 outside their scope).
pub fn read_profile(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<Profile, AppError> {
    get_enterprise_scoped(conn, identity, id)?;
    Ok(load_profile(conn, id)?)
}

/// A company's profile.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/profile", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = Profile), (status = 401), (status = 404)))]
#[get("/enterprises/{id}/profile")]
pub async fn get_profile(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<web::Json<Profile>, AppError> {
    let id = path.into_inner();
    Ok(web::Json(state.db.run(move |conn| read_profile(conn, &identity, id)).await?))
}

/// Text of a profile for the history: one line per field, lists joined.
fn snapshot(p: &Profile) -> BTreeMap<&'static str, String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut m = BTreeMap::new();
    m.insert("name_zh", p.name_zh.clone());
    m.insert("name_en", opt(&p.name_en));
    m.insert("legal_representative", opt(&p.legal_representative));
    m.insert("address", opt(&p.address));
    m.insert("district", opt(&p.district));
    m.insert("registered_capital", p.registered_capital.map(|f| f.format_yuan()).unwrap_or_default());
    m.insert("founded_on", p.founded_on.map(|d| d.to_string()).unwrap_or_default());
    m.insert("employees", p.employees.map(|e| e.to_string()).unwrap_or_default());
    m.insert("segments", p.segments.iter().map(|s| s.code.clone()).collect::<Vec<_>>().join(", "));
    m.insert(
        "qualifications",
        p.qualifications
            .iter()
            .map(|q| {
                let from = q.valid_from.map(|d| d.to_string()).unwrap_or_default();
                let until = q.valid_until.map(|d| d.to_string()).unwrap_or_default();
                format!("{} {} {from}..{until}", q.kind.as_str(), q.certificate_no)
            })
            .collect::<Vec<_>>()
            .join("; "),
    );
    m.insert(
        "contacts",
        p.contacts
            .iter()
            .map(|c| format!("{} {} {} {}", c.name, opt(&c.title), opt(&c.phone), opt(&c.email)).trim().to_string())
            .collect::<Vec<_>>()
            .join("; "),
    );
    m
}

/// Save the whole profile of the company `scope` names (its administrator, or a system admin).
pub async fn update_profile(state: &AppState, meta: &RequestMeta, scope: &CompanyScope, body: ProfileUpdate) -> Result<Profile, AppError> {
    let id = scope.enterprise_id();
    let today = state.clock.today();
    crate::accounts::issues_to_error(body.issues(today))?;
    let (user_id, meta) = (scope.user_id(), meta.clone());
    state
        .db
        .write(move |conn| {
            let before = load_profile(conn, id)?;
            let mut segment_ids = Vec::new();
            for code in &body.segments {
                match super::segment_by_code(conn, code)? {
                    Some((sid, _)) => segment_ids.push(sid),
                    None => return Err(AppError::field("segments", "unknown_segment", format!("unknown segment {code}"))),
                }
            }
            segment_ids.sort_unstable();
            segment_ids.dedup();
            let t = crate::db::now();
            let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
            diesel::update(enterprises::table.filter(enterprises::id.eq(id)))
                .set((
                    enterprises::name_zh.eq(body.name_zh.trim()),
                    enterprises::name_en.eq(clean(&body.name_en)),
                    enterprises::legal_representative.eq(body.legal_representative.trim()),
                    enterprises::address.eq(body.address.trim()),
                    enterprises::district.eq(body.district.trim()),
                    enterprises::registered_capital_fen.eq(body.registered_capital.0),
                    enterprises::founded_on.eq(body.founded_on),
                    enterprises::employees.eq(body.employees),
                    enterprises::updated_at.eq(t),
                ))
                .execute(conn)?;
            diesel::delete(enterprise_segments::table.filter(enterprise_segments::enterprise_id.eq(id))).execute(conn)?;
            for sid in segment_ids {
                diesel::insert_into(enterprise_segments::table)
                    .values((enterprise_segments::enterprise_id.eq(id), enterprise_segments::segment_id.eq(sid)))
                    .execute(conn)?;
            }
            diesel::delete(enterprise_qualifications::table.filter(enterprise_qualifications::enterprise_id.eq(id))).execute(conn)?;
            for q in &body.qualifications {
                diesel::insert_into(enterprise_qualifications::table)
                    .values((
                        enterprise_qualifications::enterprise_id.eq(id),
                        enterprise_qualifications::kind.eq(q.kind.as_str()),
                        enterprise_qualifications::certificate_no.eq(q.certificate_no.trim()),
                        enterprise_qualifications::valid_from.eq(q.valid_from),
                        enterprise_qualifications::valid_until.eq(q.valid_until),
                    ))
                    .execute(conn)?;
            }
            diesel::delete(enterprise_contacts::table.filter(enterprise_contacts::enterprise_id.eq(id))).execute(conn)?;
            for c in &body.contacts {
                diesel::insert_into(enterprise_contacts::table)
                    .values((
                        enterprise_contacts::enterprise_id.eq(id),
                        enterprise_contacts::name.eq(c.name.trim()),
                        enterprise_contacts::title.eq(clean(&c.title)),
                        enterprise_contacts::phone.eq(c.phone.as_deref().map(shared::accounts::normalize_phone).filter(|p| !p.is_empty())),
                        enterprise_contacts::email.eq(c.email.as_deref().map(shared::accounts::normalize_email).filter(|e| !e.is_empty())),
                    ))
                    .execute(conn)?;
            }
            let after = load_profile(conn, id)?;
            let (old, new) = (snapshot(&before), snapshot(&after));
            let changed: BTreeMap<&str, (String, String)> = new
                .iter()
                .filter(|(k, v)| old.get(*k) != Some(*v))
                .map(|(k, v)| (*k, (old.get(k).cloned().unwrap_or_default(), v.clone())))
                .collect();
            if !changed.is_empty() {
                diesel::insert_into(enterprise_changes::table)
                    .values((
                        enterprise_changes::enterprise_id.eq(id),
                        enterprise_changes::changed_at.eq(t),
                        enterprise_changes::user_id.eq(user_id),
                        enterprise_changes::changes.eq(serde_json::to_string(&changed).map_err(anyhow::Error::from)?),
                    ))
                    .execute(conn)?;
            }
            let fields: Vec<&str> = changed.keys().copied().collect();
            record(conn, &meta, Event::new("profile_saved").actor(user_id).object("enterprise", id).detail(serde_json::json!({ "changed": fields })))?;
            Ok(after)
        })
        .await
}

/// Replace the company's profile (the company's administrator).
#[utoipa::path(put, path = "/api/v1/enterprises/{id}/profile", tag = "registry", params(("id" = i64, Path)), request_body = ProfileUpdate,
    responses((status = 200, body = Profile), (status = 403), (status = 422)))]
#[put("/enterprises/{id}/profile")]
pub async fn put_profile(state: web::Data<AppState>, req: actix_web::HttpRequest, identity: Identity, path: web::Path<i64>, body: web::Json<ProfileUpdate>) -> Result<web::Json<Profile>, AppError> {
    let scope = CompanyScope::of(&identity, path.into_inner(), true)?;
    Ok(web::Json(update_profile(&state, &RequestMeta::from_request(&req), &scope, body.into_inner()).await?))
}

pub fn history(conn: &mut DbConn, identity: &Identity, id: i64) -> Result<Vec<ProfileChange>, AppError> {
    get_enterprise_scoped(conn, identity, id)?;
    let rows: Vec<(NaiveDateTime, Option<String>, String)> = enterprise_changes::table
        .left_join(users::table.on(users::id.nullable().eq(enterprise_changes::user_id)))
        .filter(enterprise_changes::enterprise_id.eq(id))
        .select((enterprise_changes::changed_at, users::display_name.nullable(), enterprise_changes::changes))
        .order(enterprise_changes::id.desc())
        .limit(200)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(at, by, changes)| {
            let map: BTreeMap<String, (String, String)> = serde_json::from_str(&changes).unwrap_or_default();
            ProfileChange {
                changed_at: at.and_utc(),
                changed_by: by,
                fields: map.into_iter().map(|(field, (old, new))| FieldChange { field, old, new }).collect(),
            }
        })
        .collect())
}

/// The profile's change history, newest first (the 200 latest changes).
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/profile/history", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ProfileChange>), (status = 404)))]
#[get("/enterprises/{id}/profile/history")]
pub async fn get_history(state: web::Data<AppState>, identity: Identity, path: web::Path<i64>) -> Result<web::Json<Vec<ProfileChange>>, AppError> {
    let id = path.into_inner();
    Ok(web::Json(state.db.run(move |conn| history(conn, &identity, id)).await?))
}
