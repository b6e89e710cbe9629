//! Change-log payloads of the ledger's audited rows.

use crate::audit::{Audited, canonical};
use crate::entities::{hazard, hazard_event, hazard_subject};
use serde_json::{Value, json};

impl Audited for hazard::Model {
    const ENTITY: &'static str = "hazard";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "enterprise_id": self.enterprise_id, "subject_id": self.subject_id,
            "bureau_id": self.bureau_id, "sector": self.sector, "region_code": self.region_code,
            "source": self.source, "source_ref": self.source_ref, "reporter_name": self.reporter_name,
            "reporter_phone": self.reporter_phone, "reporter_user_id": self.reporter_user_id,
            "verification_outcome": self.verification_outcome, "reward": self.reward, "level": self.level,
            "closure": self.closure, "category": self.category, "title": self.title,
            "description": self.description, "location": self.location,
            "found_at": canonical::time(self.found_at), "deadline": canonical::opt_date(self.deadline),
            "checklist_item_code": self.checklist_item_code, "risk_point_id": self.risk_point_id,
            "status": self.status, "is_open": self.is_open, "suspended": self.suspended,
            "assignment": self.assignment, "plan": self.plan, "report": self.report,
            "extension_until": canonical::opt_date(self.extension_until),
            "extension_reason": self.extension_reason, "rectified_by": self.rectified_by,
            "funds_spent": self.funds_spent, "created_by": self.created_by,
            "created_at": canonical::time(self.created_at), "updated_at": canonical::time(self.updated_at),
            "status_changed_at": canonical::time(self.status_changed_at),
            "closed_at": self.closed_at.map(canonical::time), "version": self.version,
        })
    }
}

impl Audited for hazard_event::Model {
    const ENTITY: &'static str = "hazard_event";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "hazard_id": self.hazard_id, "action": self.action,
            "from_status": self.from_status, "to_status": self.to_status, "actor_id": self.actor_id,
            "at": canonical::time(self.at), "note": self.note, "data": self.data,
        })
    }
}

impl Audited for hazard_subject::Model {
    const ENTITY: &'static str = "hazard_subject";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "bureau_id": self.bureau_id, "name": self.name, "address": self.address,
            "description": self.description, "region_code": self.region_code,
            "enterprise_id": self.enterprise_id, "status": self.status, "note": self.note,
            "created_at": canonical::time(self.created_at), "updated_at": canonical::time(self.updated_at),
            "version": self.version,
        })
    }
}
