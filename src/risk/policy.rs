//! Who may record risk points: the enterprise's 主要负责人 and 安全管理人员 for their
//! own enterprise, and 监管人员 for enterprises in their scope. Everyone who sees an
//! enterprise sees its points (the scope check answers 404 before this).

use crate::auth::{CurrentUser, Role};
use crate::entities::enterprise;
use crate::error::{AppError, AppResult};

/// Whether `user` may record points of enterprises at all (for pages and menus).
pub fn writes(user: &CurrentUser) -> bool {
    if user.is_bureau_user() {
        user.has(Role::Regulator)
    } else {
        user.has(Role::Principal) || user.has(Role::SafetyOfficer)
    }
}

/// 403 unless `user` may record points of `e` (already known to be in scope).
pub fn check_write(user: &CurrentUser, e: &enterprise::Model) -> AppResult<()> {
    let own = user.is_bureau_user() || user.enterprise_ids.contains(&e.id);
    if writes(user) && own { Ok(()) } else { Err(AppError::Forbidden) }
}
