//! `GET /api/v1/applications/{id}/form.pdf` (the application form, rendered on demand and
//! recorded with its fingerprint) and `GET /api/v1/verify/{code}` (anyone checks a printed
//! form).

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::applications::{ApplicationState, IssuedForm, Verification};
use shared::dto::Bilingual;
use shared::filing::Project;

use crate::db::schema::{application_forms, applications, awards, enterprises, programs};
use crate::db::{now, DbConn};
use crate::documents::{amount_in_words, beijing, yuan};
use crate::documents::application_form::{render, FormData};
use crate::error::AppError;
use crate::principal::Identity;
use crate::state::AppState;


fn list(items: &[String]) -> String {
    items.join("、")
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The project's rows, labelled as the form prints them.
fn project_rows(project: &Project) -> Vec<(String, String)> {
    let rows: Vec<(&str, String)> = match project {
        Project::FirstSet(p) => {
            let mut rows = vec![
                ("装备名称", p.equipment_name.clone()),
                ("型号", p.model.clone()),
                ("出厂编号", list(&p.serial_numbers)),
                ("首台套级别", p.first_set_level.map_or(String::new(), |l| if l.as_str() == "international" { "国际首台套".into() } else { "国内首台套".into() })),
                ("购买单位", p.buyer_name.clone()),
                ("购买单位信用代码", p.buyer_credit_code.clone()),
            ];
            for (i, c) in p.contracts.iter().enumerate() {
                rows.push(("销售合同", format!("{}. {}，{}，签订于 {}", i + 1, c.number, c.value_fen.map(yuan).unwrap_or_default(), day(c.signed_on))));
            }
            rows.push(("首次使用日期", day(p.first_use_on)));
            rows.push(("专利", list(&p.patents)));
            rows
        }
        Project::Content(p) => vec![
            ("作品名称", p.work_title.clone()),
            ("类别", p.category.map(|c| c.as_str().to_string()).unwrap_or_default()),
            ("格式", p.format.map(|f| f.as_str().to_uppercase()).unwrap_or_default()),
            ("时长", p.minutes.map(|m| format!("{m} 分钟")).unwrap_or_default()),
            ("三维声", if p.audio_3d { "是".into() } else { "否".into() }),
            ("发行许可证或上线备案号", list(&p.licence_numbers)),
            ("首次出品方声明", if p.first_producer { "申报单位为本作品首次出品方".into() } else { String::new() }),
        ],
        Project::General(p) => vec![
            ("项目名称", p.project_title.clone()),
            ("项目简介", p.summary.clone()),
            ("项目总投资", p.investment_fen.map(yuan).unwrap_or_default()),
            ("申请资助金额", p.requested_fen.map(yuan).unwrap_or_default()),
        ],
    };
    rows.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The form's data for a scoped application, read inside one database call.
pub fn form_data(conn: &mut DbConn, state: &AppState, s: &super::Scoped) -> Result<FormData, AppError> {
    let view = super::view(conn, s)?;
    type Company = (String, String, Option<String>, Option<String>, Option<String>, Option<NaiveDate>, Option<i32>, Option<i64>);
    let (name, code, legal, address, district, founded, employees, capital): Company = enterprises::table
        .find(s.row.enterprise_id)
        .select((
            enterprises::name_zh,
            enterprises::credit_code,
            enterprises::legal_representative,
            enterprises::address,
            enterprises::district,
            enterprises::founded_on,
            enterprises::employees,
            enterprises::registered_capital_fen,
        ))
        .first(conn)?;
    let company = vec![
        ("单位名称".to_string(), name.clone()),
        ("统一社会信用代码".to_string(), code.clone()),
        ("法定代表人".to_string(), legal.unwrap_or_default()),
        ("注册地址".to_string(), address.unwrap_or_default()),
        ("所在区".to_string(), district.unwrap_or_default()),
        ("成立日期".to_string(), day(founded)),
        ("从业人数".to_string(), employees.map(|e| e.to_string()).unwrap_or_default()),
        ("注册资本".to_string(), capital.map(yuan).unwrap_or_default()),
    ];
    let amount = match view.amount_working {
        Some(w) => vec![
            ("测算基数".to_string(), yuan(w.basis_fen)),
            ("按规则测算".to_string(), yuan(w.uncapped_fen)),
            ("上限".to_string(), yuan(w.cap_fen)),
            ("申请金额（小写）".to_string(), yuan(w.amount_fen)),
            ("申请金额（大写）".to_string(), amount_in_words(w.amount_fen)),
        ],
        None => vec![("申请金额".to_string(), "项目信息尚未填写完整，暂无法测算".to_string())],
    };
    let status = match (view.state, s.row.submitted_at) {
        (ApplicationState::Draft, _) => "草稿（尚未提交）".to_string(),
        (_, Some(at)) => format!("已于 {} 提交", beijing(at)),
        _ => String::new(),
    };
    Ok(FormData {
        program_title: view.program_title.zh.clone(),
        program_code: view.program_code.clone(),
        program_version: view.program_version,
        company_name: name,
        credit_code: code,
        company,
        project: project_rows(&view.project),
        amount,
        materials: view.materials.iter().map(|m| (m.name.zh.clone(), m.required, m.file.as_ref().map(|f| f.file_name.clone()))).collect(),
        verify_url: state.link(&format!("/verify/{}", view.verification_code)),
        verification_code: view.verification_code,
        status,
        issued_at: beijing(now()),
    })
}

/// The application form as PDF, for the application's company. Each download is recorded with
/// the document's SHA-256, which the verification page shows.
#[utoipa::path(get, path = "/api/v1/applications/{id}/form.pdf", tag = "applications", params(("id" = i64, Path)),
    responses((status = 200, description = "The application form (申报书)", content((Vec<u8> = "application/pdf"))),
        (status = 401, description = "`unauthenticated`"), (status = 404, description = "`not_found`")))]
#[get("/applications/{id}/form.pdf")]
pub async fn get_form(state: web::Data<AppState>, req: HttpRequest, identity: Identity, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (who, st) = (identity.clone(), state.clone());
    let data = state.db.run(move |conn| {
        let s = super::load_scoped(conn, &who, id, false)?;
        form_data(conn, &st, &s)
    })
    .await?;
    let code = data.verification_code.clone();
    let bytes = web::block(move || render(&data)).await.map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))??;
    crate::documents::issue(&state, &req, identity.user_id, id, "application_form", "application_form_downloaded", format!("application-{code}.pdf"), bytes).await
}

/// The application a verification code names (codes compare without case, spaces or dashes).
pub fn verify(conn: &mut DbConn, code: &str) -> Result<Verification, AppError> {
    let cleaned: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    if cleaned.len() != 12 {
        return Err(AppError::NotFound("the verification code"));
    }
    let formatted = format!("{}-{}-{}", &cleaned[0..4], &cleaned[4..8], &cleaned[8..12]);
    type Row = (i64, String, String, String, String, i32, Option<NaiveDateTime>, Option<i64>);
    let row: Option<Row> = applications::table
        .inner_join(enterprises::table)
        .inner_join(programs::table)
        .filter(applications::verification_code.eq(&formatted))
        .select((applications::id, enterprises::name_zh, programs::code, programs::title_zh, programs::title_en, applications::state, applications::submitted_at, applications::computed_amount_fen))
        .first(conn)
        .optional()?;
    let (id, company_name, program_code, zh, en, state, submitted, amount) = row.ok_or(AppError::NotFound("the verification code"))?;
    let forms: Vec<(String, String, NaiveDateTime)> = application_forms::table
        .filter(application_forms::application_id.eq(id))
        .order(application_forms::id.desc())
        .limit(50)
        .select((application_forms::kind, application_forms::sha256, application_forms::issued_at))
        .load(conn)?;
    let award: Option<(i64, NaiveDate)> = awards::table.find(id).select((awards::amount_fen, awards::approved_on)).first(conn).optional()?;
    Ok(Verification {
        verification_code: formatted,
        company_name,
        program_code,
        program_title: Bilingual::new(zh, en),
        state: ApplicationState::from_code(state).unwrap_or(ApplicationState::Draft),
        submitted_at: submitted.map(|t| t.and_utc()),
        computed_amount_fen: amount,
        approved_amount_fen: award.map(|a| a.0),
        approved_on: award.map(|a| a.1),
        forms: forms.into_iter().map(|(kind, sha256, at)| IssuedForm { kind, sha256, issued_at: at.and_utc() }).collect(),
    })
}

/// Check a printed application form or approval notice by its verification code: the company,
/// the program, when it was submitted, the amount (and, once approved, the amount awarded and
/// the day), and the fingerprint (SHA-256) of every document the portal issued for it. Public.
#[utoipa::path(get, path = "/api/v1/verify/{code}", tag = "applications", params(("code" = String, Path, example = "ABCD-EFGH-JKLM")),
    responses((status = 200, body = Verification), (status = 404, description = "`not_found`: no application has this code")))]
#[get("/verify/{code}")]
pub async fn get_verify(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let code = path.into_inner();
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(state.db.run(move |conn| verify(conn, &code)).await?))
}
