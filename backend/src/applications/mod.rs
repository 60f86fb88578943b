//! Filing an application: drafts, materials, submission (call window, verified company,
//! eligibility, one per company per call, duplicate funding), withdrawal, the company's list
//! and each application's timeline. Only the company's own people (and system admins) reach an
//! application here; to anyone else it does not exist (404).

pub mod create_application;
pub mod draft;
pub mod form;
pub mod list_applications;
pub mod materials;
pub mod submit;
pub mod timeline;
pub mod withdraw;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::Rng;
use shared::applications::{ApplicationState, ApplicationView, MaterialView, Problem, UploadedFile};
use shared::dto::Bilingual;
use shared::filing::Project;
use shared::programs::ProgramDefinition;

use crate::db::schema::{application_events, application_materials, applications, programs};
use crate::db::{now, DbConn};
use crate::error::AppError;
use crate::principal::Identity;
use crate::scope::CompanyScope;

/// An application's row, as the services here read it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = applications)]
pub struct Row {
    pub id: i64,
    pub program_id: i64,
    pub enterprise_id: i64,
    pub state: i32,
    pub program_version: i32,
    pub project: String,
    pub computed_amount_fen: Option<i64>,
    pub verification_code: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdraw_reason: Option<String>,
    pub declarations: Option<String>,
    pub excluded_orgs: String,
}

impl Row {
    pub fn state(&self) -> ApplicationState {
        ApplicationState::from_code(self.state).unwrap_or(ApplicationState::Draft)
    }
}

/// An application with the proof that the caller may act for its company (`scope`), or, for
/// reading only, that the caller reviews it (`scope` empty). Anyone else gets 404, so an
/// application's existence is not revealed.
pub struct Scoped {
    pub row: Row,
    pub scope: Option<CompanyScope>,
    /// Who is reading or acting.
    pub user_id: i64,
    pub program_code: String,
    pub definition: ProgramDefinition,
}

impl Scoped {
    /// Whether the caller reads as one of the review's staff (not the company, not an admin).
    pub fn as_reviewer(&self) -> bool {
        self.scope.is_none()
    }
}

/// Application `id` for `identity` (a person of its company, or a system admin); `filing`: the
/// caller must also have confirmed their email address (to change it). To read (`filing`
/// false), the people who review it may too (`crate::review::may_read`).
pub fn load_scoped(conn: &mut DbConn, identity: &Identity, id: i64, filing: bool) -> Result<Scoped, AppError> {
    let row: Row = applications::table.find(id).select(Row::as_select()).first(conn).optional()?.ok_or(AppError::NotFound("the application"))?;
    let scope = if filing { CompanyScope::filing(identity, row.enterprise_id, false) } else { CompanyScope::of(identity, row.enterprise_id, false) };
    let scope = match scope {
        Ok(s) => Some(s),
        Err(AppError::Forbidden { code: "forbidden", .. }) if !filing && crate::review::load_case(conn, id)?.is_some_and(|c| crate::review::may_read(identity, &c)) => None,
        // Not the company's: it does not exist for the caller. (One of its people who has not
        // confirmed their email address is told so: `email_unverified`.)
        Err(AppError::Forbidden { code: "forbidden", .. }) => return Err(AppError::NotFound("the application")),
        Err(e) => return Err(e),
    };
    let program_code: String = programs::table.find(row.program_id).select(programs::code).first(conn)?;
    let definition = crate::programs::load_version(conn, row.program_id, row.program_version)?;
    Ok(Scoped { row, scope, user_id: identity.user_id, program_code, definition })
}

/// The project stored with a row (an empty one of the program's kind if it does not parse).
pub fn project_of(row: &Row, def: &ProgramDefinition) -> Project {
    serde_json::from_str::<serde_json::Value>(&row.project)
        .ok()
        .and_then(|v| Project::from_json(def.kind, v).ok())
        .unwrap_or_else(|| Project::empty(def.kind))
}

/// A fresh verification code: 12 characters in groups of four, without look-alikes.
pub fn new_verification_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..12).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// The materials of the checklist with what was uploaded for each.
pub fn materials_of(conn: &mut DbConn, id: i64, def: &ProgramDefinition) -> QueryResult<Vec<MaterialView>> {
    let rows: Vec<(String, String, String, i64, String, NaiveDateTime)> = application_materials::table
        .filter(application_materials::application_id.eq(id))
        .select((
            application_materials::material_code,
            application_materials::file_name,
            application_materials::content_type,
            application_materials::size_bytes,
            application_materials::sha256,
            application_materials::uploaded_at,
        ))
        .load(conn)?;
    Ok(def
        .materials
        .iter()
        .map(|m| MaterialView {
            code: m.code.clone(),
            name: m.name.clone(),
            required: m.required,
            types: m.types.clone(),
            max_bytes: m.max_bytes,
            file: rows.iter().find(|r| r.0 == m.code).map(|r| UploadedFile {
                file_name: r.1.clone(),
                content_type: r.2.clone(),
                size_bytes: r.3,
                sha256: r.4.clone(),
                uploaded_at: r.5.and_utc(),
            }),
        })
        .collect())
}

/// What stops a submission: the project's problems (`project.<field>`) and each required
/// material without a file (`materials.<code>`).
pub fn problems(project: &Project, materials: &[MaterialView], def: &ProgramDefinition, today: chrono::NaiveDate) -> Vec<Problem> {
    let mut out: Vec<Problem> =
        project.problems(&shared::filing::ProjectRules::of(def), today).into_iter().map(|(field, code)| Problem { field: format!("project.{field}"), code: code.to_string() }).collect();
    for m in materials {
        if m.required && m.file.is_none() {
            out.push(Problem { field: format!("materials.{}", m.code), code: "required".into() });
        }
    }
    out
}

/// The whole view of a scoped application.
pub fn view(conn: &mut DbConn, s: &Scoped) -> Result<ApplicationView, AppError> {
    let def = &s.definition;
    let project = project_of(&s.row, def);
    let materials = materials_of(conn, s.row.id, def)?;
    let today = crate::clock::beijing_date(now());
    let problems = if s.row.state() == ApplicationState::Draft { problems(&project, &materials, def, today) } else { Vec::new() };
    Ok(ApplicationView {
        id: s.row.id,
        program_code: s.program_code.clone(),
        program_title: Bilingual::new(def.title.zh.clone(), def.title.en.clone()),
        program_version: s.row.program_version,
        program_kind: def.kind,
        enterprise_id: s.row.enterprise_id,
        state: s.row.state(),
        verification_code: s.row.verification_code.clone().unwrap_or_default(),
        computed_amount_fen: s.row.computed_amount_fen,
        amount_working: project.amount(&def.amount),
        project,
        materials,
        problems,
        call_opens_at: def.call_opens_at,
        call_closes_at: def.call_closes_at,
        created_at: s.row.created_at.and_utc(),
        updated_at: s.row.updated_at.and_utc(),
        submitted_at: s.row.submitted_at.map(|t| t.and_utc()),
        withdrawn_at: s.row.withdrawn_at.map(|t| t.and_utc()),
        withdraw_reason: s.row.withdraw_reason.clone(),
        declarations: s.row.declarations.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default(),
        excluded_orgs: serde_json::from_str(&s.row.excluded_orgs).unwrap_or_default(),
    })
}

/// Append a step to an application's timeline (inside the caller's write).
pub fn event(conn: &mut DbConn, id: i64, kind: &str, from: Option<ApplicationState>, to: Option<ApplicationState>, actor: i64, note: Option<&str>) -> QueryResult<usize> {
    diesel::insert_into(application_events::table)
        .values((
            application_events::application_id.eq(id),
            application_events::at.eq(now()),
            application_events::kind.eq(kind),
            application_events::from_state.eq(from.map(|s| s.code())),
            application_events::to_state.eq(to.map(|s| s.code())),
            application_events::actor_user_id.eq(actor),
            application_events::note.eq(note),
        ))
        .execute(conn)
}

/// The same view again, read after a write (for the answer).
pub async fn view_after(state: &crate::state::AppState, identity: Identity, id: i64) -> Result<ApplicationView, AppError> {
    state.db.run(move |conn| {
        let scoped = load_scoped(conn, &identity, id, false)?;
        view(conn, &scoped)
    })
    .await
}
