//! Proofs of data scope. A service that acts on one company's or one base's data takes a
//! scope value, not a bare id and a person: [`CompanyScope`] and [`BaseScope`] can only be made
//! by checking the signed-in person's role grants (`of`), so no edge (REST handler, server
//! function, form post) can reach such a service without having checked who is asking. A
//! refusal is 403 `forbidden` (or `email_unverified` for filing without a confirmed address).

use crate::principal::Identity;
use crate::error::AppError;

/// The caller may act for company `enterprise_id`: one of its people (its administrators, for
/// what only they may do), or a system admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyScope {
    enterprise_id: i64,
    user_id: i64,
}

impl CompanyScope {
    /// Checks `identity`: a member or administrator of the company (`admin_only`: an
    /// administrator), or a system admin.
    pub fn of(identity: &Identity, enterprise_id: i64, admin_only: bool) -> Result<CompanyScope, AppError> {
        if identity.is_admin() || identity.enterprises(admin_only).contains(&enterprise_id) {
            Ok(CompanyScope { enterprise_id, user_id: identity.user_id })
        } else {
            Err(AppError::forbidden())
        }
    }

    /// [`CompanyScope::of`] someone who has also confirmed their email address: what filing
    /// anything (reports, tenancy requests, documents, applications) needs.
    pub fn filing(identity: &Identity, enterprise_id: i64, admin_only: bool) -> Result<CompanyScope, AppError> {
        let scope = CompanyScope::of(identity, enterprise_id, admin_only)?;
        identity.require_email_verified()?;
        Ok(scope)
    }

    pub fn enterprise_id(&self) -> i64 {
        self.enterprise_id
    }

    /// Who is acting (for the audit log and the history).
    pub fn user_id(&self) -> i64 {
        self.user_id
    }
}

/// The caller may act for base `base_id`: its park manager, or a system admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseScope {
    base_id: i64,
    user_id: i64,
}

impl BaseScope {
    pub fn of(identity: &Identity, base_id: i64) -> Result<BaseScope, AppError> {
        if identity.is_admin() || identity.managed_bases().contains(&base_id) {
            Ok(BaseScope { base_id, user_id: identity.user_id })
        } else {
            Err(AppError::forbidden())
        }
    }

    pub fn base_id(&self) -> i64 {
        self.base_id
    }

    /// Who is acting (for the audit log and the history).
    pub fn user_id(&self) -> i64 {
        self.user_id
    }
}
