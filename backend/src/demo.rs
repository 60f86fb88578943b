//! Bulk, realistic and deterministic demo data for load tests and demos:
//! `uhd-portal demo-data --enterprises N --applications M [--seed S]`.
//! The same seed always gives the same rows, so a second run finds them present and stops.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shared::applications::ApplicationState;
use shared::credit_code::{check_character, organization_check};
use shared::filing::Project;

use crate::db::schema::{application_keys, application_materials, applications, bases, enterprise_segments, enterprises, programs, segments, tenancies};
use crate::db::DbConn;

const BATCH: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub enterprises: usize,
    pub applications: usize,
    pub already_present: bool,
}

#[derive(Insertable)]
#[diesel(table_name = enterprises)]
struct NewEnterprise {
    id: i64,
    credit_code: String,
    name_zh: String,
    name_en: Option<String>,
    legal_representative: String,
    address: String,
    division_code: String,
    registered_capital_fen: i64,
    founded_on: NaiveDate,
    employees: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = tenancies)]
struct NewTenancy {
    enterprise_id: i64,
    base_id: i64,
    segment_id: Option<i64>,
    status: i32,
    applied_at: NaiveDateTime,
    admitted_at: Option<NaiveDateTime>,
    ended_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = applications)]
struct NewApplication {
    /// Given, as the keys and material records name it before the row is written.
    id: i64,
    program_id: i64,
    enterprise_id: i64,
    state: i32,
    title: String,
    amount_requested_fen: i64,
    amount_approved_fen: Option<i64>,
    submitted_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    recommending_base_id: Option<i64>,
    recommended_at: Option<NaiveDateTime>,
    program_version: i32,
    project: String,
    computed_amount_fen: Option<i64>,
    verification_code: String,
    /// Every declaration, for a submitted application.
    declarations: Option<&'static str>,
    /// In a review stage: the day it began and the last day of its time limit.
    stage_entered_on: Option<chrono::NaiveDate>,
    stage_due_on: Option<chrono::NaiveDate>,
}

/// (division code, district, address prefix, base code of the district's base, the place
/// words a company there puts before its trade name, in Chinese and English)
const DISTRICTS: &[(&str, &str, &str, Option<&str>, &[(&str, &str)])] = &[
    ("310115", "浦东新区", "上海市浦东新区金桥路", Some("jinqiao"), &[("上海", "Shanghai"), ("浦东", "Pudong"), ("金桥", "Jinqiao"), ("浦江", "Pujiang")]),
    ("310106", "静安区", "上海市静安区江场路", Some("shibei"), &[("上海", "Shanghai"), ("静安", "Jing'an"), ("市北", "Shibei"), ("申城", "Shencheng")]),
    ("440104", "越秀区", "广州市越秀区环市东路", Some("huaguoshan"), &[("广州", "Guangzhou"), ("越秀", "Yuexiu"), ("羊城", "Yangcheng"), ("花城", "Huacheng")]),
    ("310104", "徐汇区", "上海市徐汇区漕溪北路", None, &[("上海", "Shanghai"), ("徐汇", "Xuhui"), ("漕河泾", "Caohejing"), ("申城", "Shencheng")]),
    ("440106", "天河区", "广州市天河区天河路", None, &[("广州", "Guangzhou"), ("天河", "Tianhe"), ("羊城", "Yangcheng"), ("珠江", "Zhujiang")]),
];
/// Trade names are two of these: 40 × 39 pairs, enough for unique names at the largest scale
/// the benchmarks use.
const CORE_WORDS: &[(&str, &str)] = &[
    ("超清", "Chaoqing"), ("视界", "Shijie"), ("光影", "Guangying"), ("星河", "Xinghe"),
    ("鸿图", "Hongtu"), ("晶显", "Jingxian"), ("极像", "Jixiang"), ("锐视", "Ruishi"),
    ("远景", "Yuanjing"), ("华彩", "Huacai"), ("天幕", "Tianmu"), ("灵犀", "Lingxi"),
    ("蓝海", "Lanhai"), ("云帆", "Yunfan"), ("新维", "Xinwei"), ("明镜", "Mingjing"),
    ("凌云", "Lingyun"), ("拓维", "Tuowei"), ("彩虹", "Caihong"), ("博远", "Boyuan"),
    ("恒星", "Hengxing"), ("睿智", "Ruizhi"), ("致远", "Zhiyuan"), ("东方", "Dongfang"),
    ("长风", "Changfeng"), ("瑞丰", "Ruifeng"), ("启明", "Qiming"), ("卓越", "Zhuoyue"),
    ("汇智", "Huizhi"), ("高清", "Gaoqing"), ("光年", "Guangnian"), ("视通", "Shitong"),
    ("嘉禾", "Jiahe"), ("众诚", "Zhongcheng"), ("泓博", "Hongbo"), ("金石", "Jinshi"),
    ("天瑞", "Tianrui"), ("云图", "Yuntu"), ("锦程", "Jincheng"), ("华映", "Huaying"),
];
const TRADE_WORDS: &[(&str, &str)] = &[
    ("科技", "Technology"),
    ("视频技术", "Video Technology"),
    ("显示科技", "Display Technology"),
    ("微电子", "Microelectronics"),
    ("传媒", "Media"),
    ("影视制作", "Film Production"),
    ("数字文化", "Digital Culture"),
    ("网络技术", "Network Technology"),
];
const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙"];
const GIVEN: &[&str] = &["伟", "芳", "敏", "静", "磊", "洋", "婷", "强", "军", "杰", "涛", "燕"];
const TITLES: &[&str] = &["8K 超高清摄像机", "AVS3 编码器", "激光投影机", "超高清机顶盒", "4K 纪录片", "8K 体育赛事转播", "经典影片修复", "三维声综艺节目"];

/// The file every demo material record names (a one-page PDF), and its SHA-256.
pub const DEMO_FILE: &[u8] = b"%PDF-1.4\n% UHD Portal demo material\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// The SHA-256 the storage keys [`DEMO_FILE`] under.
pub fn demo_file_sha256() -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(DEMO_FILE))
}

/// A unique verification code for the `j`-th demo application: its number in base 32 in the
/// first five characters, then seven random ones.
fn demo_verification_code(rng: &mut ChaCha8Rng, j: u64) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut chars: Vec<char> = (0..5).rev().map(|p| ALPHABET[((j >> (5 * p)) & 31) as usize] as char).collect();
    chars.extend((0..7).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char));
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A plausible project of `kind` for the `j`-th demo application, and its title. Patent,
/// serial and licence numbers carry `j`, so no two demo applications share one.
fn demo_project(rng: &mut ChaCha8Rng, kind: shared::programs::ProgramKind, j: usize) -> (Project, String) {
    use shared::filing::{ContentCategory, ContentProject, Contract, FirstSetProject, GeneralProject};
    use shared::programs::{ContentFormat, FirstSetLevel, ProgramKind};
    let day = |rng: &mut ChaCha8Rng, from: (i32, u32)| chrono::NaiveDate::from_ymd_opt(from.0, from.1, rng.random_range(1..28));
    match kind {
        ProgramKind::FirstSetEquipment => {
            let name = *pick(rng, &["8K 超高清摄像机", "AVS3 编码器", "激光投影机", "超高清机顶盒", "8K 转播车"]);
            let contracts = (0..rng.random_range(1..=3))
                .map(|c| {
                    let month = rng.random_range(2..7);
                    Contract { number: format!("HT-{j}-{c}"), value_fen: Some(rng.random_range(50..5_000) * 1_000_000), signed_on: day(rng, (2026, month)) }
                })
                .collect();
            let p = FirstSetProject {
                equipment_name: name.to_string(),
                model: format!("UHD-{}", j % 997),
                serial_numbers: vec![format!("SN{j:09}")],
                first_set_level: Some(if rng.random_range(0..4) == 0 { FirstSetLevel::International } else { FirstSetLevel::Domestic }),
                buyer_name: "上海广播电视台".into(),
                buyer_credit_code: "12310000425016234L".into(),
                contracts,
                first_use_on: day(rng, (2026, 8)),
                patents: vec![format!("ZL2025{j:09}")],
            };
            (Project::FirstSet(p), name.to_string())
        }
        ProgramKind::UhdContent => {
            let title = format!("{} 第 {} 部", pick(rng, &["浦江 8K", "城市光影", "经典修复", "三维声音乐会", "赛事集锦"]), j);
            let format = *pick(rng, &ContentFormat::ALL);
            let p = ContentProject {
                work_title: title.clone(),
                category: Some(*pick(rng, &ContentCategory::ALL)),
                format: Some(format),
                minutes: Some(rng.random_range(20..900)),
                audio_3d: rng.random_range(0..3) == 0,
                licence_numbers: vec![format!("（沪）剧审字（2026）第{j:07}号")],
                first_producer: true,
            };
            (Project::Content(p), title)
        }
        ProgramKind::General => {
            let title = format!("{} 项目 #{}", pick(rng, TITLES), j + 1);
            let investment = rng.random_range(100..50_000) * 1_000_000;
            let p = GeneralProject { project_title: title.clone(), summary: "超高清关键技术研发与示范。".into(), investment_fen: Some(investment), requested_fen: Some(investment / 10) };
            (Project::General(p), title)
        }
    }
}

/// The credit code of the `i`-th demo enterprise: valid, unique and stable for a seed.
fn demo_credit_code(division: &str, offset: u64, i: u64) -> Option<String> {
    let body = format!("{:08}", (offset + i) % 100_000_000);
    let org = organization_check(&body)?;
    let first17 = format!("91{division}{body}{org}");
    let check = check_character(&first17)?;
    Some(format!("{first17}{check}"))
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// The states past the agencies' decision, which demo applications never take.
const AFTER_DECISION: [ApplicationState; 5] =
    [ApplicationState::PublicNotice, ApplicationState::Approved, ApplicationState::Disbursement, ApplicationState::Closed, ApplicationState::Revoked];

pub fn generate(conn: &mut DbConn, n_enterprises: usize, n_applications: usize, seed: u64) -> anyhow::Result<DemoReport> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let offset: u64 = rng.random_range(0..10_000_000);
    let now = crate::db::now();

    if let Some(code) = demo_credit_code(DISTRICTS[0].0, offset, 0) {
        let present: i64 = enterprises::table.filter(enterprises::credit_code.eq(code)).count().get_result(conn)?;
        if present > 0 {
            return Ok(DemoReport { enterprises: 0, applications: 0, already_present: true });
        }
    }

    let base_ids: Vec<(i64, String)> = bases::table.select((bases::id, bases::code)).load(conn)?;
    let segment_ids: Vec<i64> = segments::table.filter(segments::parent_code.is_null()).select(segments::id).load(conn)?;
    let program_rows: Vec<(i64, String, i32)> = programs::table
        .filter(programs::current_version.gt(0))
        .order(programs::id)
        .select((programs::id, programs::code, programs::current_version))
        .load(conn)?;
    let mut program_ids: Vec<(i64, i32, shared::programs::ProgramDefinition)> = Vec::new();
    for (id, code, version) in program_rows {
        let def = crate::programs::load_version(conn, id, version).map_err(|e| anyhow::anyhow!("program {code}: {e}"))?;
        program_ids.push((id, version, def));
    }
    anyhow::ensure!(!base_ids.is_empty() && !segment_ids.is_empty(), "run `uhd-portal seed` first: reference data is missing");
    let first_id: i64 = enterprises::table
        .select(diesel::dsl::max(enterprises::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0)
        + 1;

    conn.transaction::<_, anyhow::Error, _>(|conn| {
        let mut ents = Vec::with_capacity(BATCH);
        let mut segs: Vec<(i64, i64)> = Vec::with_capacity(BATCH * 2);
        let mut tens = Vec::with_capacity(BATCH);
        // The base each demo company is a tenant of (its applications' recommending unit).
        let mut base_of: Vec<Option<i64>> = Vec::with_capacity(n_enterprises);
        let mut used_names: std::collections::HashSet<String> = enterprises::table.select(enterprises::name_zh).load(conn)?.into_iter().collect();
        for i in 0..n_enterprises {
            let id = first_id + i as i64;
            let (division, district, street, base, places) = *pick(&mut rng, DISTRICTS);
            let code = demo_credit_code(division, offset, i as u64)
                .ok_or_else(|| anyhow::anyhow!("could not build a credit code"))?;
            // A name that fits the district and no other demo company has.
            let mut attempts = 0;
            let (name_zh, name_en) = loop {
                attempts += 1;
                let (trade_zh, trade_en) = *pick(&mut rng, TRADE_WORDS);
                let ((first, first_en), (second, second_en)) = (*pick(&mut rng, CORE_WORDS), *pick(&mut rng, CORE_WORDS));
                let (place, place_en) = *pick(&mut rng, places);
                if first == second {
                    continue;
                }
                // Past the name space (far beyond the benchmarks' scale) a branch number keeps
                // names unique.
                let branch = if attempts > 64 { format!("第{attempts}") } else { String::new() };
                let name = format!("{place}{first}{second}{trade_zh}{branch}有限公司");
                if used_names.insert(name.clone()) {
                    break (name, format!("{place_en} {first_en} {second_en} {trade_en} Co., Ltd."));
                }
            };
            let founded_on = NaiveDate::from_ymd_opt(1995, 1, 1).unwrap_or_default()
                + Duration::days(rng.random_range(0..11_000));
            ents.push(NewEnterprise {
                id,
                credit_code: code,
                name_en: rng.random_bool(0.4).then_some(name_en),
                name_zh,
                legal_representative: format!("{}{}", pick(&mut rng, SURNAMES), pick(&mut rng, GIVEN)),
                address: format!("{street}{}号 ({district})", rng.random_range(1..2000)),
                division_code: division.to_string(),
                registered_capital_fen: rng.random_range(1_000..500_000) * 100_000,
                founded_on,
                employees: rng.random_range(5..3000),
                created_at: now,
                updated_at: now,
            });
            let first_seg = *pick(&mut rng, &segment_ids);
            segs.push((id, first_seg));
            let second = *pick(&mut rng, &segment_ids);
            if second != first_seg && rng.random_bool(0.3) {
                segs.push((id, second));
            }
            base_of.push(None);
            if let Some(base_code) = base {
                if rng.random_bool(0.7) {
                    if let Some((base_id, _)) = base_ids.iter().find(|(_, c)| c == base_code) {
                        if let Some(last) = base_of.last_mut() {
                            *last = Some(*base_id);
                        }
                        let applied = now - Duration::days(rng.random_range(30..2000));
                        let status = match rng.random_range(0..100) {
                            0..=79 => 1,
                            80..=89 => 0,
                            90..=94 => 2,
                            _ => 3,
                        };
                        tens.push(NewTenancy {
                            enterprise_id: id,
                            base_id: *base_id,
                            // The segment the company applied to the base under.
                            segment_id: Some(first_seg),
                            status,
                            applied_at: applied,
                            admitted_at: (status != 0).then(|| applied + Duration::days(14)),
                            ended_at: (status == 3).then(|| applied + Duration::days(400)),
                            created_at: now,
                            updated_at: now,
                        });
                    }
                }
            }
            if ents.len() == BATCH || i + 1 == n_enterprises {
                crate::insert_batch!(conn, enterprises::table, &ents)?;
                let seg_rows: Vec<_> = segs
                    .iter()
                    .map(|(e, s)| (enterprise_segments::enterprise_id.eq(*e), enterprise_segments::segment_id.eq(*s)))
                    .collect();
                crate::insert_batch!(conn, enterprise_segments::table, &seg_rows)?;
                if !tens.is_empty() {
                    crate::insert_batch!(conn, tenancies::table, &tens)?;
                }
                ents.clear();
                segs.clear();
                tens.clear();
            }
        }

        if n_enterprises > 0 && !program_ids.is_empty() {
            let first_app: i64 = applications::table.select(diesel::dsl::max(applications::id)).first::<Option<i64>>(conn)?.unwrap_or(0) + 1;
            let mut apps = Vec::with_capacity(BATCH);
            // Made once for the whole run; every submitted row names it.
            let declared: &'static str = Box::leak(serde_json::to_string(&shared::applications::DECLARATIONS)?.into_boxed_str());
            let mut keys: Vec<(i64, &'static str, String, String, bool)> = Vec::with_capacity(BATCH * 2);
            let mut files: Vec<(i64, String, NaiveDateTime)> = Vec::with_capacity(BATCH * 2);
            let n_programs = program_ids.len();
            let demo_sha = demo_file_sha256();
            // Review stages began in the last five weeks (some are overdue); each deadline is
            // its program's time limit in working days, counted once per day and limit.
            let calendar = crate::calendar::load(conn)?;
            let today = crate::clock::beijing_date(now);
            let mut due_of: std::collections::HashMap<(chrono::NaiveDate, u32), Option<chrono::NaiveDate>> = std::collections::HashMap::new();
            for j in 0..n_applications {
                // Company j mod N, program (j div N) mod P: each company applies once per
                // program call; beyond that (more applications than companies × programs) the
                // extra ones are drafts, withdrawn or rejected, which the one-per-call rule
                // leaves alone.
                let index = j % n_enterprises;
                let round = j / n_enterprises;
                let enterprise_id = first_id + index as i64;
                let (program_id, version, def) = &program_ids[round % n_programs];
                // Demo applications stop at the agencies' decision: a notice, an award and its
                // money come only from the workflow itself (each with its rows, its budget
                // figures and its audit records), never made up here.
                let state = if round < n_programs {
                    // Every state as likely as another, as the review benchmarks have always
                    // read them; what would lie past the decision ended before it instead.
                    let drawn = rng.random_range(0..13);
                    match ApplicationState::from_code(drawn) {
                        Some(s) if AFTER_DECISION.contains(&s) => if rng.random_bool(0.7) { ApplicationState::Rejected } else { ApplicationState::Withdrawn }.code(),
                        _ => drawn,
                    }
                } else {
                    *pick(&mut rng, &[ApplicationState::Draft.code(), ApplicationState::Withdrawn.code(), ApplicationState::Rejected.code()])
                };
                let live = ApplicationState::from_code(state).is_some_and(ApplicationState::live);
                let created = now - Duration::days(rng.random_range(0..365));
                let (project, title) = demo_project(&mut rng, def.kind, j);
                let amount = project.amount(&def.amount).map(|w| w.amount_fen);
                let id = first_app + j as i64;
                // Past the recommending unit (formal review up to closed): its base recommended it.
                let recommended = (ApplicationState::FormalReview.code()..=ApplicationState::Closed.code()).contains(&state);
                let recommending_base_id = base_of.get(index).copied().flatten();
                for k in project.funding_keys() {
                    keys.push((id, k.kind.as_str(), k.key, k.shown, live));
                }
                if state != ApplicationState::Draft.code() {
                    for m in def.materials.iter().filter(|m| m.required).take(2) {
                        files.push((id, m.code.clone(), created + Duration::days(2)));
                    }
                }
                let stage_state = ApplicationState::from_code(state).unwrap_or(ApplicationState::Draft);
                let limit = match stage_state {
                    ApplicationState::ReturnedForSupplement => Some(def.supplement_working_days),
                    other => crate::review::stage_limit(def, other),
                };
                let stage_entered_on = limit.map(|_| today - Duration::days(rng.random_range(0..35)));
                let stage_due_on = match (stage_entered_on, limit) {
                    (Some(on), Some(days)) => *due_of.entry((on, days)).or_insert_with(|| calendar.add_working_days(on, days).map(|r| r.value)),
                    _ => None,
                };
                apps.push(NewApplication {
                    id,
                    program_id: *program_id,
                    enterprise_id,
                    state,
                    title,
                    amount_requested_fen: amount.unwrap_or(0),
                    amount_approved_fen: None,
                    submitted_at: (state >= 1).then(|| created + Duration::days(3)),
                    created_at: created,
                    updated_at: created,
                    recommending_base_id,
                    recommended_at: recommending_base_id.filter(|_| recommended).map(|_| created + Duration::days(10)),
                    program_version: *version,
                    project: serde_json::to_string(&project)?,
                    computed_amount_fen: amount,
                    verification_code: demo_verification_code(&mut rng, j as u64),
                    declarations: (state >= 1).then_some(declared),
                    stage_entered_on,
                    stage_due_on,
                });
                if apps.len() == BATCH || j + 1 == n_applications {
                    crate::insert_batch!(conn, applications::table, &apps)?;
                    let key_rows: Vec<_> = keys
                        .iter()
                        .map(|(a, kind, key, shown, active)| {
                            (
                                application_keys::application_id.eq(*a),
                                application_keys::kind.eq(*kind),
                                application_keys::key.eq(key),
                                application_keys::shown.eq(shown),
                                application_keys::active.eq(*active),
                            )
                        })
                        .collect();
                    if !key_rows.is_empty() {
                        crate::insert_batch!(conn, application_keys::table, &key_rows)?;
                    }
                    let file_rows: Vec<_> = files
                        .iter()
                        .map(|(a, code, at)| {
                            (
                                application_materials::application_id.eq(*a),
                                application_materials::material_code.eq(code),
                                application_materials::file_name.eq(format!("{code}.pdf")),
                                application_materials::content_type.eq("application/pdf"),
                                application_materials::size_bytes.eq(DEMO_FILE.len() as i64),
                                application_materials::sha256.eq(&demo_sha),
                                application_materials::uploaded_at.eq(*at),
                            )
                        })
                        .collect();
                    if !file_rows.is_empty() {
                        crate::insert_batch!(conn, application_materials::table, &file_rows)?;
                    }
                    apps.clear();
                    keys.clear();
                    files.clear();
                }
            }
        }

        // Explicit ids leave PostgreSQL's sequences behind; move them past them. Fresh
        // statistics, so the planner knows the tables' new size.
        if let DbConn::Postgres(pg) = conn {
            pg.batch_execute(
                "SELECT setval(pg_get_serial_sequence('enterprises', 'id'), (SELECT MAX(id) FROM enterprises)); \
                 SELECT setval(pg_get_serial_sequence('applications', 'id'), GREATEST((SELECT MAX(id) FROM applications), 1)); \
                 ANALYZE enterprises; ANALYZE tenancies; ANALYZE applications; ANALYZE application_keys; ANALYZE application_materials",
            )?;
        }
        Ok(())
    })?;

    Ok(DemoReport {
        enterprises: n_enterprises,
        applications: if n_enterprises > 0 && !program_ids.is_empty() { n_applications } else { 0 },
        already_present: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::CreditCode;

    #[test]
    fn demo_credit_codes_are_valid_and_distinct() {
        let a = demo_credit_code("310115", 1234, 0).expect("code");
        let b = demo_credit_code("310115", 1234, 1).expect("code");
        assert_ne!(a, b);
        assert!(CreditCode::parse(&a).is_ok());
        assert!(CreditCode::parse(&b).is_ok());
    }
}
