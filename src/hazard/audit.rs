//! Change-log payloads of the ledger's audited rows.

use super::columns;
use crate::audit::{Audited, canonical};
use crate::entities::{hazard, hazard_event, hazard_subject};
use serde_json::{Value, json};

/// Payload version 2 names the typed 交办, 治理方案 and 双报告 columns;
/// version 1 held them as JSON text and is still checked for rows last written
/// before the columns existed (see [`columns::v1_texts`]).
impl Audited for hazard::Model {
    const ENTITY: &'static str = "hazard";
    const PAYLOAD_VERSION: i32 = 2;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        let mut v = self.common();
        let steps = json!({
            "assignment_level": self.assignment_level, "assigning_bureau_id": self.assigning_bureau_id,
            "assigning_body": self.assigning_body, "assigned_unit": self.assigned_unit,
            "assigned_person": self.assigned_person, "assignment_notice_no": self.assignment_notice_no,
            "assigned_at": self.assigned_at.map(canonical::time),
            "assignment_deadline": canonical::opt_date(self.assignment_deadline),
            "plan_measures": self.plan_measures, "plan_person": self.plan_person,
            "plan_funds_fen": self.plan_funds_fen, "plan_deadline": canonical::opt_date(self.plan_deadline),
            "plan_emergency": self.plan_emergency, "report_current_state": self.report_current_state,
            "report_harm": self.report_harm, "report_remediation": self.report_remediation,
            "report_congress_on": canonical::opt_date(self.report_congress_on),
            "reported_at": self.reported_at.map(canonical::time),
        });
        merge(&mut v, steps);
        // Only when set, so that the payload of every row written before merges existed is unchanged.
        if let Some(kept) = self.merged_into {
            merge(&mut v, json!({"merged_into": kept}));
        }
        v
    }

    fn payload_of_version(&self, version: i32) -> Option<Value> {
        match version {
            1 => {
                let [assignment, plan, report] = columns::v1_texts(self);
                let mut v = self.common();
                merge(&mut v, json!({"assignment": assignment, "plan": plan, "report": report}));
                Some(v)
            }
            2 => Some(self.payload()),
            _ => None,
        }
    }
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(into), Value::Object(from)) = (into.as_object_mut(), from) {
        into.extend(from);
    }
}

impl hazard::Model {
    /// The fields both payload versions share.
    fn common(&self) -> Value {
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
