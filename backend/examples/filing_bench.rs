//! Figures for filing (issue 13), over the database the settings name (bench/filing.sh fills it
//! with demo data first): the application form's PDF generation (p50, p99, size), the
//! eligibility check and the submission (with the duplicate-funding check) each called from 64
//! threads at once through the services the API calls, and the submission again as a steady
//! stream (`BENCH_RATE` per second over the 64 threads). Prints figures; asserts nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use backend::accounts::audit::RequestMeta;
use backend::applications::{create_application, draft, form, load_scoped, submit};
use backend::db::schema::{application_materials, applications, bases, enterprise_segments, enterprises, segments, tenancies, users};
use backend::diesel::prelude::*;
use backend::principal::{Grant, Identity, SecondFactor, Via};
use backend::scope::CompanyScope;
use backend::{AppState, Settings};
use shared::accounts::Role;

#[path = "bench_support/mod.rs"]
mod bench_support;
use bench_support::{at_once, paced, report, THREADS};

fn main() -> anyhow::Result<()> {
    let settings = Settings::load()?;
    let db = backend::open_database(&settings)?;
    let state = AppState::new(settings, db)?;
    let submits: usize = std::env::var("BENCH_SUBMITS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    // The steady stream's rate (submissions per second across the 64 connections).
    let rate: f64 = std::env::var("BENCH_RATE").ok().and_then(|v| v.parse().ok()).unwrap_or(100.0);
    let checks: usize = std::env::var("BENCH_CHECKS").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let total: i64 = state.db.read_blocking(|conn| Ok(backend::db::schema::applications::table.count().get_result(conn)?))?;
    println!("applications in the database: {total}; pool: {} connections; {THREADS} threads", state.settings.pool_size());

    // A person of `submits` demo companies that may file for the content program: registered in
    // Shanghai with a tenancy in Jinqiao or Shibei and no live application under the call;
    // for the bench their tenancy is admitted, their company verified, content their segment.
    let program = state.db.read_blocking(|conn| backend::programs::load(conn, "SH-2026-UHD-CONTENT"))?;
    let program_id = program.id;
    let companies: Vec<i64> = state.db.read_blocking(move |conn| {
        let live: Vec<i32> = submit::live_codes();
        Ok(enterprises::table
            .inner_join(tenancies::table.inner_join(bases::table))
            .filter(bases::code.eq_any(["jinqiao", "shibei"]))
            .filter(enterprises::division_code.like("31%"))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                applications::table
                    .filter(applications::enterprise_id.eq(enterprises::id))
                    .filter(applications::program_id.eq(program_id))
                    .filter(applications::state.eq_any(live)),
            )))
            .select(enterprises::id)
            .distinct()
            .limit(2 * submits as i64)
            .load(conn)?)
    })?;
    let ids = companies.clone();
    let user = state.db.maintenance(move |conn| {
        diesel::update(enterprises::table.filter(enterprises::id.eq_any(&ids))).set(enterprises::verification.eq("verified")).execute(conn)?;
        diesel::update(tenancies::table.filter(tenancies::enterprise_id.eq_any(&ids))).set(tenancies::status.eq(1)).execute(conn)?;
        let content: i64 = segments::table.filter(segments::code.eq("content-production")).select(segments::id).first(conn)?;
        diesel::delete(enterprise_segments::table.filter(enterprise_segments::enterprise_id.eq_any(&ids)).filter(enterprise_segments::segment_id.eq(content))).execute(conn)?;
        for e in &ids {
            diesel::insert_into(enterprise_segments::table).values((enterprise_segments::enterprise_id.eq(e), enterprise_segments::segment_id.eq(content))).execute(conn)?;
        }
        let now = chrono::Utc::now().naive_utc();
        Ok(diesel::insert_into(users::table)
            .values((
                users::email.eq(format!("bench-{}@example.com", now.and_utc().timestamp_nanos_opt().unwrap_or(0))),
                users::password_hash.eq("-"),
                users::display_name.eq("bench"),
                users::locale.eq("zh-CN"),
                users::email_verified_at.eq(now),
                users::password_changed_at.eq(now),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .returning(users::id)
            .get_result::<i64>(conn)?)
    })?;
    let identity = Identity {
        user_id: user,
        email: "bench@example.com".into(),
        display_name: "bench".into(),
        locale: "zh-CN".into(),
        email_verified: true,
        grants: companies.iter().map(|e| Grant { id: 0, role: Role::EnterpriseAdmin, enterprise_id: Some(*e), base_id: None, agency_id: None }).collect(),
        via: Via::Session("bench".into()),
        second_factor: SecondFactor::Done,
        second_factor_at: None,
        totp_enrolled: false,
    };

    // The eligibility check, for many companies at once.
    let (st, who, cs, p) = (state.clone(), identity.clone(), companies.clone(), program.clone());
    let check = Arc::new(move |i: usize| {
        let scope = CompanyScope::of(&who, cs[i % cs.len()], false).unwrap();
        let today = chrono::Utc::now().date_naive();
        st.db.read_blocking(|conn| backend::programs::eligibility::answer(conn, &scope, p.id, &p.code, &p.definition, today, "zh-CN")).unwrap();
    });
    let c = check.clone();
    let (times, wall) = at_once(checks, move |i| c(i));
    report("eligibility check, 64 threads flat out", times, wall);
    let check_rate: f64 = std::env::var("BENCH_CHECK_RATE").ok().and_then(|v| v.parse().ok()).unwrap_or(500.0);
    let c = check.clone();
    let (times, wall) = paced(checks / 2, check_rate, move |i| c(i));
    println!("eligibility checks as a steady stream of {check_rate} per second over 64 threads");
    report("eligibility check, steady stream", times, wall);

    // Drafts, complete with their materials, one per company, then submitted at once.
    let meta = RequestMeta::default();
    let mut drafts = Vec::new();
    for (k, e) in companies.iter().enumerate() {
        let scope = CompanyScope::of(&identity, *e, false).unwrap();
        let m = meta.clone();
        let Ok(id) = state.db.write_blocking(move |conn| create_application::create(conn, &m, &scope, "SH-2026-UHD-CONTENT")) else { continue };
        let project = serde_json::json!({
            "work_title": format!("基准测试作品 {k}"), "category": "documentary", "format": "8k", "minutes": 60, "audio_3d": false,
            "licence_numbers": [format!("BENCH-LIC-{user}-{k}")], "first_producer": true
        });
        let (m, who) = (meta.clone(), identity.clone());
        state.db.write_blocking(move |conn| draft::save(conn, &m, &who, id, project.clone()))?;
        drafts.push(id);
    }
    let sha = backend::demo::demo_file_sha256();
    let codes: Vec<String> = program.definition.materials.iter().map(|m| m.code.clone()).collect();
    let list = drafts.clone();
    state.db.maintenance(move |conn| {
        for id in &list {
            for code in &codes {
                diesel::insert_into(application_materials::table)
                    .values((
                        application_materials::application_id.eq(id),
                        application_materials::material_code.eq(code),
                        application_materials::file_name.eq("bench.pdf"),
                        application_materials::content_type.eq("application/pdf"),
                        application_materials::size_bytes.eq(100),
                        application_materials::sha256.eq(&sha),
                        application_materials::uploaded_at.eq(chrono::Utc::now().naive_utc()),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(())
    })?;
    let refused = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (st, who, ds, r) = (state.clone(), identity.clone(), Arc::new(drafts.clone()), refused.clone());
    let declared = shared::applications::SubmitApplication::declaring_all();
    let half = drafts.len() / 2;
    let submit_one = move |i: usize| {
        let m = RequestMeta::default();
        if st.db.write_blocking(|conn| submit::submit(conn, &m, &who, ds[i], &declared, &|p| st.link(p))).is_err() {
            r.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    };
    let submit_one = Arc::new(submit_one);
    let first = submit_one.clone();
    let (times, wall) = at_once(half, move |i| first(i));
    println!("drafts submitted by 64 threads, each again as soon as answered: {half}; refused: {}", refused.load(std::sync::atomic::Ordering::Relaxed));
    report("submit (with the duplicate-funding check), 64 threads flat out", times, wall);
    let second = submit_one.clone();
    let (times, wall) = paced(drafts.len() - half, rate, move |i| second(half + i));
    println!("drafts submitted as a steady stream of {rate} per second over 64 threads: {}; refused in all: {}", drafts.len() - half, refused.load(std::sync::atomic::Ordering::Relaxed));
    report("submit (with the duplicate-funding check), steady stream", times, wall);

    // The application form: the data read once, then rendered repeatedly.
    let first = *drafts.first().expect("a draft");
    let (st, who) = (state.clone(), identity.clone());
    let data = state.db.read_blocking(move |conn| {
        let s = load_scoped(conn, &who, first, false)?;
        form::form_data(conn, &st, &s)
    })?;
    let mut times = Vec::new();
    let mut size = 0;
    let started = Instant::now();
    for _ in 0..200 {
        let s = Instant::now();
        size = backend::documents::application_form::render(&data)?.len();
        times.push(s.elapsed());
    }
    report("application form PDF", times, started.elapsed());
    println!("application form PDF size: {size} bytes");
    Ok(())
}
