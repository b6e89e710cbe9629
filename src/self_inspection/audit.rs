//! Change-log payloads and scope of self-inspection rows.

use crate::audit::{Audited, canonical};
use crate::entities::{self_inspection_plan as plan, self_inspection_result as result, self_inspection_task as task};
use serde_json::{Value, json};

impl Audited for plan::Model {
    const ENTITY: &'static str = "self_inspection_plan";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "enterprise_id": self.enterprise_id, "bureau_id": self.bureau_id,
            "sector": self.sector, "kind": self.kind, "level": self.level, "frequency": self.frequency,
            "title": self.title, "item_codes": self.item_codes, "assignee_id": self.assignee_id,
            "active": self.active, "created_by": self.created_by, "created_at": canonical::time(self.created_at),
            "updated_at": canonical::time(self.updated_at), "version": self.version,
        })
    }
}

impl Audited for task::Model {
    const ENTITY: &'static str = "self_inspection_task";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "plan_id": self.plan_id, "enterprise_id": self.enterprise_id,
            "bureau_id": self.bureau_id, "sector": self.sector, "kind": self.kind, "title": self.title,
            "period": self.period, "assignee_id": self.assignee_id, "due_on": canonical::opt_date(Some(self.due_on)),
            "status": self.status, "checklists": self.checklists, "findings": self.findings,
            "created_by": self.created_by, "created_at": canonical::time(self.created_at),
            "completed_by": self.completed_by, "completed_at": self.completed_at.map(canonical::time),
            "version": self.version,
        })
    }
}

impl Audited for result::Model {
    const ENTITY: &'static str = "self_inspection_result";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "task_id": self.task_id, "code": self.code, "checklist_hash": self.checklist_hash,
            "outcome": self.outcome, "note": self.note, "attachment_ids": self.attachment_ids,
            "hazard_id": self.hazard_id, "updated_by": self.updated_by,
            "updated_at": self.updated_at.map(canonical::time),
        })
    }
}

impl crate::scope::Owned for plan::Entity {
    fn bureau() -> Self::Column {
        Self::Column::BureauId
    }
    fn sector() -> Option<Self::Column> {
        Some(Self::Column::Sector)
    }
    fn enterprise() -> Option<Self::Column> {
        Some(Self::Column::EnterpriseId)
    }
}

impl crate::scope::Owned for task::Entity {
    fn bureau() -> Self::Column {
        Self::Column::BureauId
    }
    fn sector() -> Option<Self::Column> {
        Some(Self::Column::Sector)
    }
    fn enterprise() -> Option<Self::Column> {
        Some(Self::Column::EnterpriseId)
    }
}
