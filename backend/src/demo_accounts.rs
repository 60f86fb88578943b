//! One demo account per role, so that a newcomer running `scripts/demo.sh` can try every part
//! of the portal: a company admin of a tenant company, a park manager for each base, an agency
//! reviewer and an agency lead, a reviewer of the finance agency who records payments, an expert
//! and a system admin. Development only: the accounts
//! are marked `users.is_demo`, they are refused in production, and a production server does
//! not start while any exists (`remove` takes them out).
//!
//! Every call gives each account a new random password (printed once by the CLI); the roles
//! and a staff member's enrolled authenticator stay. Both changes run inside the write path
//! (`Db::write_blocking` from the CLI), each with its audit records.

use diesel::prelude::*;
use rand::Rng;

use crate::accounts::admin_users::{grant, GrantRole};
use crate::accounts::audit::{self, Event, RequestMeta};
use crate::accounts::password;
use crate::db::schema::{agencies, bases, credit_code_claims, enterprises, invitations, tenancies, tenancy_invitations, users};
use crate::db::DbConn;
use crate::error::AppError;
use shared::accounts::Role;

/// The domain of every demo address (reserved for documentation and tests, never delivered).
pub const DEMO_DOMAIN: &str = "demo.uhd-portal.example";

/// One account as the CLI prints it.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// What the account is for, e.g. "park manager, Jinqiao".
    pub who: String,
    pub email: String,
    pub password: String,
    /// Staff sign in with a second factor: they enrol an authenticator app the first time.
    pub staff: bool,
}

/// A password that passes the portal's rules: 16 characters from an unambiguous alphabet
/// with both cases, a digit and a symbol.
fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let body: String = (0..12).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    format!("Demo-{body}7!")
}

/// Create the demo accounts, or give the existing ones new passwords. Needs the reference
/// data and demo companies (`demo-data`) for the company account. Call it through the write
/// path (`Db::write_blocking`).
pub fn create_or_refresh(conn: &mut DbConn) -> Result<Vec<DemoAccount>, AppError> {
    let meta = RequestMeta { client: None, ip: None, user_agent: Some("uhd-portal demo-accounts".into()) };
    let base_ids: Vec<(i64, String, String)> =
        bases::table.select((bases::id, bases::code, bases::name_zh)).order(bases::id).load(conn)?;
    let agency: Option<(i64, String)> =
        agencies::table.filter(agencies::code.eq("sh-eitc")).select((agencies::id, agencies::name_zh)).first(conn).optional()?;
    // The agency that pays Shanghai's awards (the programs' `finance_agency`).
    let finance: Option<(i64, String)> =
        agencies::table.filter(agencies::code.eq("sh-finance")).select((agencies::id, agencies::name_zh)).first(conn).optional()?;
    // A tenant company: the first demo company admitted in the first base.
    let company: Option<(i64, String)> = match base_ids.first() {
        Some((base_id, ..)) => tenancies::table
            .inner_join(enterprises::table)
            .filter(tenancies::base_id.eq(base_id))
            .filter(tenancies::status.eq(shared::registry::TenancyStatus::Admitted.code()))
            .order(enterprises::id)
            .select((enterprises::id, enterprises::name_zh))
            .first(conn)
            .optional()?,
        None => None,
    };

    let mut wanted: Vec<(String, String, String, GrantRole)> = Vec::new();
    if let Some((enterprise_id, name)) = &company {
        // The demo company reads as a verified one.
        diesel::update(enterprises::table.find(enterprise_id))
            .set((enterprises::verification.eq("verified"), enterprises::verified_at.eq(crate::accounts::now())))
            .execute(conn)?;
        wanted.push((
            format!("company admin, {name}"),
            "company".into(),
            "演示企业管理员".into(),
            GrantRole { role: Role::EnterpriseAdmin.as_str().into(), enterprise_id: Some(*enterprise_id), ..GrantRole::default() },
        ));
    }
    for (base_id, code, name) in &base_ids {
        wanted.push((
            format!("park manager, {name}"),
            format!("park-{code}"),
            format!("演示园区管理员（{name}）"),
            GrantRole { role: Role::ParkManager.as_str().into(), base_id: Some(*base_id), ..GrantRole::default() },
        ));
    }
    if let Some((agency_id, name)) = &agency {
        for (role, tag, display) in [(Role::AgencyReviewer, "reviewer", "演示审核人员"), (Role::AgencyLead, "lead", "演示审核负责人")] {
            wanted.push((
                format!("{}, {name}", role.as_str().replace('_', " ")),
                tag.into(),
                display.into(),
                GrantRole { role: role.as_str().into(), agency_id: Some(*agency_id), ..GrantRole::default() },
            ));
        }
    }
    if let Some((agency_id, name)) = &finance {
        wanted.push((
            format!("agency reviewer, {name} (records payments)"),
            "finance".into(),
            "演示财政拨付人员".into(),
            GrantRole { role: Role::AgencyReviewer.as_str().into(), agency_id: Some(*agency_id), ..GrantRole::default() },
        ));
    }
    wanted.push(("expert".into(), "expert".into(), "演示评审专家".into(), GrantRole { role: Role::Expert.as_str().into(), ..GrantRole::default() }));
    wanted.push((
        "system admin".into(),
        "admin".into(),
        "演示系统管理员".into(),
        GrantRole { role: Role::SystemAdmin.as_str().into(), ..GrantRole::default() },
    ));

    let mut out = Vec::new();
    for (who, tag, display, role) in wanted {
        let email = format!("demo-{tag}@{DEMO_DOMAIN}");
        let password_text = random_password();
        let hash = password::hash(&password_text)?;
        let t = crate::accounts::now();
        let existing: Option<i64> = users::table.filter(users::email.eq(&email)).select(users::id).first(conn).optional()?;
        match existing {
            Some(id) => {
                diesel::update(users::table.find(id))
                    .set((users::password_hash.eq(&hash), users::password_changed_at.eq(t), users::disabled_at.eq(None::<chrono::NaiveDateTime>), users::updated_at.eq(t)))
                    .execute(conn)?;
                audit::record(conn, &meta, Event::new("password_changed").subject(id).email(&email).detail(serde_json::json!({ "via": "demo-accounts" })))?;
            }
            None => {
                diesel::insert_into(users::table)
                    .values((
                        users::email.eq(&email),
                        users::password_hash.eq(&hash),
                        users::display_name.eq(&display),
                        users::locale.eq("zh-CN"),
                        users::email_verified_at.eq(t),
                        users::password_changed_at.eq(t),
                        users::created_at.eq(t),
                        users::updated_at.eq(t),
                        users::is_demo.eq(true),
                    ))
                    .execute(conn)?;
                let id: i64 = users::table.filter(users::email.eq(&email)).select(users::id).first(conn)?;
                audit::record(conn, &meta, Event::new("registered").subject(id).email(&email).detail(serde_json::json!({ "via": "demo-accounts" })))?;
                grant(conn, &meta, None, id, &role)?;
            }
        }
        let staff = Role::parse(&role.role).is_some_and(|r| r.is_staff());
        out.push(DemoAccount { who, email, password: password_text, staff });
    }
    Ok(out)
}

/// How many demo accounts exist (a production server refuses to start while any does).
pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    users::table.filter(users::is_demo.eq(true)).count().get_result(conn)
}

/// Remove every demo account and what hangs on it (sessions, roles, tokens cascade; an
/// invitation to a tenancy one of them sent goes, references elsewhere are cleared). Returns
/// how many accounts went. Call it through the write path (`Db::write_blocking`).
pub fn remove(conn: &mut DbConn) -> Result<usize, AppError> {
    let meta = RequestMeta { client: None, ip: None, user_agent: Some("uhd-portal remove-demo-accounts".into()) };
    let ids: Vec<(i64, String)> = users::table.filter(users::is_demo.eq(true)).select((users::id, users::email)).load(conn)?;
    let only: Vec<i64> = ids.iter().map(|(id, _)| *id).collect();
    diesel::delete(tenancy_invitations::table.filter(tenancy_invitations::invited_by.eq_any(&only))).execute(conn)?;
    diesel::update(tenancy_invitations::table.filter(tenancy_invitations::responded_by.eq_any(&only)))
        .set(tenancy_invitations::responded_by.eq(None::<i64>))
        .execute(conn)?;
    diesel::update(invitations::table.filter(invitations::invited_by.eq_any(&only))).set(invitations::invited_by.eq(None::<i64>)).execute(conn)?;
    diesel::update(credit_code_claims::table.filter(credit_code_claims::resolved_by.eq_any(&only)))
        .set(credit_code_claims::resolved_by.eq(None::<i64>))
        .execute(conn)?;
    for (id, email) in &ids {
        audit::record(conn, &meta, Event::new("demo_account_removed").subject(*id).email(email))?;
    }
    let n = diesel::delete(users::table.filter(users::id.eq_any(&only))).execute(conn)?;
    Ok(n)
}
