//! Who may do what with self-inspection plans and tasks (a pure function of the
//! user and the record, used by the services, the pages and the API's
//! `allowed_actions`).
//!
//! - An enterprise's **principal or safety officer** keeps its plans and creates
//!   ad hoc tasks; they and the task's **assignee** (any of its users, staff too)
//!   record results and complete an open task.
//! - Bureau **regulators, inspectors and approvers** read the plans and tasks in
//!   their scope and the overview; they change nothing (the 排查 is the
//!   enterprise's duty). Other bureau roles (grid workers, experts, legal
//!   reviewers) are refused (403).

use super::domain::TaskStatus;
use crate::auth::{CurrentUser, Role};
use crate::entities::self_inspection_task;
use crate::error::{AppError, AppResult};

/// Bureau roles that see self-inspection.
const READERS: [Role; 3] = [Role::Regulator, Role::Inspector, Role::Approver];

/// Whether the user reads self-inspection at all (its scope decides which).
pub fn reads(user: &CurrentUser) -> bool {
    if user.is_bureau_user() { READERS.iter().any(|r| user.has(*r)) } else { !user.enterprise_ids.is_empty() }
}

/// 403 unless the user reads self-inspection.
pub fn require_reader(user: &CurrentUser) -> AppResult<()> {
    if reads(user) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Whether the user reads the regulators' overview.
pub fn reads_overview(user: &CurrentUser) -> bool {
    user.is_bureau_user() && READERS.iter().any(|r| user.has(*r))
}

/// Whether the user keeps the plans of its enterprises (principal, safety officer).
pub fn manages(user: &CurrentUser) -> bool {
    !user.is_bureau_user() && (user.has(Role::Principal) || user.has(Role::SafetyOfficer))
}

/// 403 unless the user keeps plans.
pub fn require_manager(user: &CurrentUser) -> AppResult<()> {
    if manages(user) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// A step on a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskAction {
    RecordResults,
    Complete,
}

impl TaskAction {
    pub const fn code(self) -> &'static str {
        match self {
            Self::RecordResults => "record_results",
            Self::Complete => "complete",
        }
    }
}

/// Whether the user works on this task: its assignee or a manager of its enterprise.
pub fn works_on(user: &CurrentUser, t: &self_inspection_task::Model) -> bool {
    user.enterprise_ids.contains(&t.enterprise_id) && (t.assignee_id == user.id || manages(user))
}

/// What the user may do with the task now.
pub fn available(user: &CurrentUser, t: &self_inspection_task::Model) -> Vec<TaskAction> {
    if t.status == TaskStatus::Open && works_on(user, t) {
        vec![TaskAction::RecordResults, TaskAction::Complete]
    } else {
        Vec::new()
    }
}

/// 403 for a user who does not work on the task, 409 once it is completed.
pub fn check(user: &CurrentUser, t: &self_inspection_task::Model) -> AppResult<()> {
    if !works_on(user, t) {
        return Err(AppError::Forbidden);
    }
    if t.status == TaskStatus::Completed {
        return Err(AppError::conflict("task_completed", "该排查任务已完成，不能再修改"));
    }
    Ok(())
}
