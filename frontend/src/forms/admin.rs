//! System admins' forms: users and their roles, staff invitations, bases.

use super::*;

async fn post_admin_disable(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<(i64, String)>) -> HttpResponse {
    let (user_id, action) = path.into_inner();
    let back_to = format!("/admin/users/{user_id}");
    let admin = match sensitive_admin(&state, identity, &back_to) {
        Ok(a) => a,
        Err(to) => return to,
    };
    let disable = action == "disable";
    match backend::accounts::admin_users::set_disabled(&state, RequestMeta::from_request(&req), admin.user_id, user_id, disable).await {
        Ok(()) => see_other(&format!("{back_to}?saved=1")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
    #[serde(default)]
    base_id: String,
    #[serde(default)]
    agency_id: String,
    #[serde(default)]
    enterprise_id: String,
}

async fn post_admin_grant(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<i64>, form: web::Form<RoleForm>) -> HttpResponse {
    let user_id = path.into_inner();
    let back_to = format!("/admin/users/{user_id}");
    let admin = match sensitive_admin(&state, identity, &back_to) {
        Ok(a) => a,
        Err(to) => return to,
    };
    let f = form.into_inner();
    let body = backend::accounts::admin_users::GrantRole {
        role: f.role,
        base_id: f.base_id.parse().ok(),
        agency_id: f.agency_id.parse().ok(),
        enterprise_id: f.enterprise_id.parse().ok(),
    };
    let meta = RequestMeta::from_request(&req);
    let result = state.db.write(move |conn| backend::accounts::admin_users::grant(conn, &meta, Some(admin.user_id), user_id, &body)).await;
    match result {
        Ok(()) => see_other(&format!("{back_to}?saved=1")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

async fn post_admin_revoke(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, path: web::Path<(i64, i64)>) -> HttpResponse {
    let (user_id, grant_id) = path.into_inner();
    let back_to = format!("/admin/users/{user_id}");
    let admin = match sensitive_admin(&state, identity, &back_to) {
        Ok(a) => a,
        Err(to) => return to,
    };
    match backend::accounts::admin_users::revoke_role(&state, RequestMeta::from_request(&req), admin.user_id, user_id, grant_id).await {
        Ok(()) => see_other(&format!("{back_to}?saved=1")),
        Err(e) => back(&back_to, &e, &[]),
    }
}

#[derive(Deserialize)]
pub struct StaffInviteForm {
    email: String,
    role: String,
    #[serde(default)]
    base_id: String,
    #[serde(default)]
    agency_id: String,
    #[serde(default)]
    specialties: String,
    #[serde(default)]
    employer_credit_code: String,
    #[serde(default)]
    locale: String,
}

async fn post_staff_invite(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: web::Form<StaffInviteForm>) -> HttpResponse {
    let Some(identity) = identity.0 else { return see_other("/login") };
    if let Err(to) = step_up(&state, &identity, "/admin/invitations") {
        return to;
    }
    let f = form.into_inner();
    let body = invitations::NewInvitation {
        email: f.email.clone(),
        role: Some(f.role.clone()),
        base_id: f.base_id.parse().ok(),
        agency_id: f.agency_id.parse().ok(),
        specialties: Some(f.specialties.clone()).filter(|s| !s.is_empty()),
        employer_credit_code: Some(f.employer_credit_code.clone()).filter(|s| !s.is_empty()),
        locale: Some(f.locale.clone()),
    };
    match invitations::post_staff_invitation_service(&state, &req, identity, body).await {
        Ok(_) => see_other("/admin/invitations?sent=1"),
        Err(e) => back(
            "/admin/invitations",
            &e,
            &[("email", &f.email), ("role", &f.role), ("specialties", &f.specialties), ("employer_credit_code", &f.employer_credit_code)],
        ),
    }
}

/// Mount the admin form handlers.
pub fn configure_admin(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/forms/admin")
            .route("/users/{id}/roles", web::post().to(post_admin_grant))
            .route("/users/{id}/roles/{grant}/revoke", web::post().to(post_admin_revoke))
            .route("/users/{id}/{action:disable|enable}", web::post().to(post_admin_disable))
            .route("/invitations", web::post().to(post_staff_invite))
            .route("/bases", web::post().to(post_admin_base))
            .configure(calendar::configure)
            .configure(jobs::configure_admin),
    );
}

async fn post_admin_base(state: web::Data<AppState>, req: HttpRequest, identity: MaybeIdentity, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let admin = match sensitive_admin(&state, identity, "/admin/bases") {
        Ok(a) => a,
        Err(to) => return to,
    };
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let id: Option<i64> = get("id").parse().ok();
    let input = shared::registry::BaseInput {
        code: get("code"),
        name_zh: get("name_zh"),
        name_en: get("name_en"),
        city_zh: get("city_zh"),
        city_en: get("city_en"),
        district_zh: get("district_zh"),
        district_en: get("district_en"),
        division_code: get("division_code"),
        description_zh: get("description_zh"),
        description_en: get("description_en"),
    };
    let meta = RequestMeta::from_request(&req);
    let result = state.db.write(move |conn| backend::registry::bases::save_base(conn, &meta, admin.user_id, id, &input)).await;
    match result {
        Ok(_) => see_other("/admin/bases?saved=1"),
        Err(e) => {
            let keep: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            back("/admin/bases", &e, &keep)
        }
    }
}
