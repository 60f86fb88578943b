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

use crate::db::schema::{applications, bases, enterprise_segments, enterprises, programs, segments, tenancies};
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
    let program_ids: Vec<(i64, i64)> = programs::table
        .select((programs::id, programs::budget_total_fen))
        .load(conn)?;
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
            let mut apps = Vec::with_capacity(BATCH);
            for j in 0..n_applications {
                let index = rng.random_range(0..n_enterprises);
                let enterprise_id = first_id + index as i64;
                let (program_id, _) = *pick(&mut rng, &program_ids);
                let state = rng.random_range(0..10);
                let requested = rng.random_range(100..50_000) * 10_000;
                let created = now - Duration::days(rng.random_range(0..365));
                // Past the recommending unit (formal review up to closed): its base recommended it.
                let recommended = (ApplicationState::FormalReview.code()..=ApplicationState::Closed.code()).contains(&state);
                let recommending_base_id = base_of.get(index).copied().flatten();
                apps.push(NewApplication {
                    program_id,
                    enterprise_id,
                    state,
                    title: format!("{} 项目 #{}", pick(&mut rng, TITLES), j + 1),
                    amount_requested_fen: requested,
                    amount_approved_fen: (ApplicationState::Approved.code()..=ApplicationState::Closed.code())
                        .contains(&state)
                        .then_some(requested * 8 / 10),
                    submitted_at: (state >= 1).then(|| created + Duration::days(3)),
                    created_at: created,
                    updated_at: created,
                    recommending_base_id,
                    recommended_at: recommending_base_id.filter(|_| recommended).map(|_| created + Duration::days(10)),
                });
                if apps.len() == BATCH || j + 1 == n_applications {
                    crate::insert_batch!(conn, applications::table, &apps)?;
                    apps.clear();
                }
            }
        }

        // Explicit ids leave PostgreSQL's identity sequence behind; move it past them.
        if let DbConn::Postgres(pg) = conn {
            pg.batch_execute(
                "SELECT setval(pg_get_serial_sequence('enterprises', 'id'), (SELECT MAX(id) FROM enterprises))",
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
