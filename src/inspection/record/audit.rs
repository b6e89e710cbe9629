//! Change-log payloads of the record's rows.

use crate::audit::{Audited, canonical};
use crate::entities::{
    inspection_finding, inspection_measure, inspection_result, inspection_result_conflict, inspection_signature,
    inspection_verdict,
};
use serde_json::{Value, json};

impl Audited for inspection_result::Model {
    const ENTITY: &'static str = "inspection_result";
    /// 2: with `version`.
    const PAYLOAD_VERSION: i32 = 2;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        let mut v = self.payload_of_version(1).unwrap_or_default();
        v["version"] = json!(self.version);
        v
    }

    fn payload_of_version(&self, version: i32) -> Option<Value> {
        let v1 = || {
            json!({
                "id": self.id, "inspection_id": self.inspection_id, "item_code": self.item_code,
                "checklist_hash": self.checklist_hash, "outcome": self.outcome, "note": self.note,
                "updated_by": self.updated_by, "updated_at": canonical::time(self.updated_at),
            })
        };
        match version {
            1 => Some(v1()),
            2 => Some(self.payload()),
            _ => None,
        }
    }
}

impl Audited for inspection_result_conflict::Model {
    const ENTITY: &'static str = "inspection_result_conflict";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "inspection_id": self.inspection_id, "item_code": self.item_code,
            "outcome": self.outcome, "note": self.note, "base_version": self.base_version,
            "server_version": self.server_version, "created_by": self.created_by,
            "created_at": canonical::time(self.created_at), "resolution": self.resolution,
            "resolved_by": self.resolved_by, "resolved_at": self.resolved_at.map(canonical::time),
        })
    }
}

impl Audited for inspection_finding::Model {
    const ENTITY: &'static str = "inspection_finding";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "inspection_id": self.inspection_id, "item_code": self.item_code,
            "checklist_hash": self.checklist_hash, "title": self.title, "category": self.category, "severity": self.severity,
            "description": self.description, "location": self.location, "basis": self.basis,
            "basis_confirmed": self.basis_confirmed, "deadline": canonical::opt_date(self.deadline),
            "deadline_working_days": self.deadline_working_days, "rectified_on_spot": self.rectified_on_spot,
            "hazard_id": self.hazard_id, "created_by": self.created_by,
            "created_at": canonical::time(self.created_at), "updated_at": canonical::time(self.updated_at),
        })
    }
}

impl Audited for inspection_measure::Model {
    const ENTITY: &'static str = "inspection_measure";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "inspection_id": self.inspection_id, "kind": self.kind, "scope_text": self.scope_text,
            "basis": self.basis, "decided_by": self.decided_by, "decided_at": canonical::time(self.decided_at),
        })
    }
}

impl Audited for inspection_signature::Model {
    const ENTITY: &'static str = "inspection_signature";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "inspection_id": self.inspection_id, "signer_kind": self.signer_kind,
            "user_id": self.user_id, "name": self.name, "certificate_no": self.certificate_no,
            "attachment_id": self.attachment_id, "refused": self.refused, "witness": self.witness,
            "reason": self.reason, "signed_at": canonical::time(self.signed_at),
        })
    }
}

impl Audited for inspection_verdict::Model {
    const ENTITY: &'static str = "inspection_verdict";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "inspection_id": self.inspection_id, "hazard_id": self.hazard_id,
            "passed": self.passed, "note": self.note, "decided_by": self.decided_by,
            "decided_at": canonical::time(self.decided_at),
        })
    }
}
