//! The hazard policy against the API: for every hazard state reachable in a
//! few steps × role × side (the enterprise's principal and safety officer, the
//! one who submitted and the other), `allowed_actions` of
//! `GET /api/v1/hazards/{id}` lists exactly the steps the API then accepts
//! with a valid body. A refused step is never a body problem (422). A fresh
//! hazard is built after each accepted try; refused tries change nothing.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Instant;

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00policy-photo";

const ACTIONS: [&str; 16] = [
    "confirm",
    "dismiss",
    "regrade",
    "assign",
    "plan",
    "progress",
    "suspend",
    "submit",
    "verify",
    "request_extension",
    "decide_extension",
    "reopen",
    "void",
    "approve_void",
    "apply_resumption",
    "lift_suspension",
];

#[derive(Debug, Clone, Copy)]
enum Who {
    Regulator,
    Inspector,
    GridWorker,
    Principal,
    Officer,
    Staff,
    Approver,
}

const EVERYONE: [Who; 7] =
    [Who::Regulator, Who::Inspector, Who::GridWorker, Who::Principal, Who::Officer, Who::Staff, Who::Approver];

struct Cast {
    enterprise: i64,
    users: Vec<TestUser>,
}

impl Cast {
    fn get(&self, who: Who) -> &TestUser {
        &self.users[who as usize]
    }
}

async fn cast(app: &TestApp) -> Cast {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let body = enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
    let enterprise = app.enterprise(&reg.token, body).await;
    let users = vec![
        reg,
        app.user("zfry").role(Role::Inspector).region("420103").create().await,
        app.user("wangge").role(Role::GridWorker).region("420103").create().await,
        app.user("fzr").role(Role::Principal).enterprise(enterprise).create().await,
        app.user("aqy").role(Role::SafetyOfficer).enterprise(enterprise).create().await,
        app.user("yuangong").role(Role::Staff).enterprise(enterprise).create().await,
        app.user("fuzeren").role(Role::Approver).region("420103").create().await,
    ];
    Cast { enterprise, users }
}

/// How a hazard is reported and the steps that bring it to the state under test.
struct Scenario {
    name: &'static str,
    reporter: Who,
    level: &'static str,
    source: &'static str,
    steps: &'static [(Who, &'static str)],
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "自查一般隐患整改中", reporter: Who::Officer, level: "general", source: "self_check", steps: &[]
    },
    Scenario {
        name: "自查一般隐患延期待批",
        reporter: Who::Officer,
        level: "general",
        source: "self_check",
        steps: &[(Who::Officer, "request_extension")],
    },
    Scenario {
        name: "自查一般隐患待验收（安全员提交）",
        reporter: Who::Officer,
        level: "general",
        source: "self_check",
        steps: &[(Who::Officer, "submit")],
    },
    Scenario {
        name: "自查一般隐患已销号",
        reporter: Who::Officer,
        level: "general",
        source: "self_check",
        steps: &[(Who::Officer, "submit"), (Who::Principal, "verify")],
    },
    Scenario {
        name: "重大隐患待认定", reporter: Who::Principal, level: "major", source: "self_check", steps: &[]
    },
    Scenario {
        name: "重大隐患已认定",
        reporter: Who::Principal,
        level: "major",
        source: "self_check",
        steps: &[(Who::Regulator, "confirm")],
    },
    Scenario {
        name: "重大隐患已交办",
        reporter: Who::Principal,
        level: "major",
        source: "self_check",
        steps: &[(Who::Regulator, "confirm"), (Who::Regulator, "assign")],
    },
    Scenario {
        name: "重大隐患待审查",
        reporter: Who::Principal,
        level: "major",
        source: "self_check",
        steps: &[
            (Who::Regulator, "confirm"),
            (Who::Regulator, "assign"),
            (Who::Principal, "plan"),
            (Who::Principal, "submit"),
        ],
    },
    Scenario {
        name: "重大隐患已作废",
        reporter: Who::Principal,
        level: "major",
        source: "self_check",
        steps: &[(Who::Regulator, "void")],
    },
    Scenario {
        name: "执法检查隐患整改中",
        reporter: Who::Inspector,
        level: "general",
        source: "inspection",
        steps: &[],
    },
    Scenario {
        name: "执法检查隐患待复查",
        reporter: Who::Inspector,
        level: "general",
        source: "inspection",
        steps: &[(Who::Principal, "submit")],
    },
    Scenario {
        name: "群众举报待核查", reporter: Who::Regulator, level: "general", source: "tip_off", steps: &[]
    },
    Scenario {
        name: "群众举报不予认定",
        reporter: Who::Regulator,
        level: "general",
        source: "tip_off",
        steps: &[(Who::Regulator, "dismiss")],
    },
    Scenario {
        name: "未登记主体（监管代为整改）",
        reporter: Who::Regulator,
        level: "general",
        source: "referral",
        steps: &[],
    },
    Scenario {
        name: "重大隐患作废待审批",
        reporter: Who::Principal,
        level: "major",
        source: "self_check",
        steps: &[(Who::Regulator, "confirm"), (Who::Regulator, "void")],
    },
    Scenario {
        name: "网格员巡查待核查",
        reporter: Who::GridWorker,
        level: "general",
        source: "grid_patrol",
        steps: &[],
    },
    Scenario {
        name: "自查一般隐患已销号后重新打开",
        reporter: Who::Officer,
        level: "general",
        source: "self_check",
        steps: &[(Who::Officer, "submit"), (Who::Principal, "verify"), (Who::Regulator, "reopen")],
    },
];

/// The scenarios run on PostgreSQL: one of each closure, both sides of an acceptance, a void's approval.
const POSTGRES_SAMPLE: [usize; 6] = [2, 6, 7, 10, 13, 14];

/// A valid body for `action` on a hazard of `level` (the photo of a submission is added by [`try_step`]).
fn body_for(action: &str, level: &str) -> Value {
    match action {
        "confirm" => json!({"note": "经核实予以认定"}),
        "regrade" if level == "major" => {
            json!({"level": "general", "reason": "经复核为一般隐患", "deadline": "2026-12-31"})
        }
        "regrade" => json!({"level": "major", "reason": "经复核认定为重大事故隐患"}),
        "reopen" => json!({"note": "抽查发现未整改到位", "deadline": "2026-12-31"}),
        "submit" => json!({"rectifier_name": "王五"}),
        "assign" => json!({"assignment": {"assigning_body": "江汉区安委办", "responsible_unit": "甲化工有限公司",
            "responsible_person": "张三", "supervision_level": "county", "deadline": "2026-12-20"}}),
        "plan" => json!({"plan": {"goals": "消除报警失效", "measures": "更换报警器", "funds": 1000.0,
            "responsible_org": "设备部", "responsible_person": "张三", "deadline": "2026-12-15",
            "safety_measures": "罐区停止进料", "emergency_plan": "罐区专项应急预案"}}),
        "suspend" => json!({"scope_text": "3号储罐区", "basis": "《安全生产法》第六十五条"}),
        "verify" if level == "major" => {
            json!({"passed": true, "reviewers": ["王五", "赵六"], "opinion": "现场审查合格"})
        }
        "verify" => json!({"passed": true, "acceptor_name": "赵六"}),
        "request_extension" => json!({"note": "设备到货延迟", "until": "2027-06-30"}),
        "decide_extension" | "approve_void" => json!({"approved": true}),
        _ => json!({"note": "说明情况"}),
    }
}

fn report_body(cast: &Cast, s: &Scenario) -> Value {
    let mut body = json!({
        "source": s.source, "level": s.level, "category": "unsafe_condition",
        "title": "储罐区可燃气体报警器失效", "description": "罐区 3 台报警器未投用",
        "found_at": "2026-11-21T08:00:00Z", "deadline": "2026-12-10",
    });
    if s.source == "referral" {
        body["subject"] = json!({"name": "无证加油点", "region_code": "420103"});
    } else {
        body["enterprise_id"] = json!(cast.enterprise);
    }
    body
}

/// Takes `action` on hazard `id` of `level` as `u` with a valid body; the answer's status.
async fn try_step(app: &TestApp, u: &TestUser, id: i64, level: &str, action: &str) -> StatusCode {
    let mut body = body_for(action, level);
    let pdf = async || {
        let (status, v) = app.upload(&u.token, "/api/v1/attachments", "报告.pdf", b"%PDF-1.4\n".to_vec()).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        json!([v["id"]])
    };
    if action == "submit" {
        let (status, v) = app.upload(&u.token, "/api/v1/attachments", "整改后.jpg", JPEG.to_vec()).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        body["attachment_ids"] = json!([v["id"]]);
        // A major hazard's submission carries the 评估报告.
        body["assessment_report_ids"] = pdf().await;
    }
    if action == "apply_resumption" {
        body["assessment_report_ids"] = pdf().await;
        body["resumption_application_ids"] = pdf().await;
    }
    app.post(&u.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await.0
}

async fn build(app: &TestApp, cast: &Cast, s: &Scenario) -> i64 {
    let (status, h) = app.post(&cast.get(s.reporter).token, "/api/v1/hazards", &report_body(cast, s)).await;
    assert_eq!(status, StatusCode::CREATED, "{}: {h}", s.name);
    let id = h["id"].as_i64().unwrap();
    for (who, action) in s.steps {
        assert_eq!(try_step(app, cast.get(*who), id, s.level, action).await, StatusCode::OK, "{}: {action}", s.name);
    }
    id
}

/// What the detail lists for `u` (nothing when `u` may not see the hazard).
async fn listed(app: &TestApp, u: &TestUser, id: i64) -> Vec<String> {
    let (status, h) = app.get(&u.token, &format!("/api/v1/hazards/{id}")).await;
    if status == StatusCode::NOT_FOUND {
        return Vec::new();
    }
    assert_eq!(status, StatusCode::OK, "{h}");
    h["allowed_actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect()
}

async fn check_scenario(app: &TestApp, cast: &Cast, s: &Scenario) -> usize {
    let mut id = build(app, cast, s).await;
    let mut accepted_count = 0;
    for who in EVERYONE {
        let u = cast.get(who);
        let allowed = listed(app, u, id).await;
        for action in ACTIONS {
            let status = try_step(app, u, id, s.level, action).await;
            let accepted = status == StatusCode::OK;
            let listed = allowed.iter().any(|a| a == action);
            assert_eq!(accepted, listed, "{} as {who:?}: {action} answered {status}, listed {allowed:?}", s.name);
            if accepted {
                accepted_count += 1;
                id = build(app, cast, s).await;
            } else {
                let refusals = [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND, StatusCode::CONFLICT];
                assert!(refusals.contains(&status), "{} as {who:?}: {action} answered {status}", s.name);
            }
        }
    }
    accepted_count
}

#[tokio::test]
async fn allowed_actions_are_exactly_the_steps_the_api_accepts() {
    on_each_backend(|app| async move {
        let started = Instant::now();
        let cast = cast(&app).await;
        let sample: Vec<&Scenario> = if app.sqlite_path().is_some() {
            SCENARIOS.iter().collect()
        } else {
            POSTGRES_SAMPLE.iter().map(|i| &SCENARIOS[*i]).collect()
        };
        let mut accepted = 0;
        for s in sample {
            accepted += check_scenario(&app, &cast, s).await;
        }
        // Every scenario lets someone act, and the run stays bounded.
        assert!(accepted >= 5, "only {accepted} steps were accepted");
        eprintln!("policy table: {accepted} accepted steps in {:?}", started.elapsed());
    })
    .await;
}

#[tokio::test]
async fn a_rectifier_is_offered_no_acceptance_and_the_other_enterprise_user_is() {
    on_each_backend(|app| async move {
        let cast = cast(&app).await;
        let id = build(&app, &cast, &SCENARIOS[2]).await;
        assert_eq!(listed(&app, cast.get(Who::Officer), id).await, Vec::<String>::new());
        assert_eq!(listed(&app, cast.get(Who::Principal), id).await, ["verify"]);
        assert_eq!(listed(&app, cast.get(Who::Regulator), id).await, ["regrade", "suspend", "void"]);
        let body = json!({"passed": true, "acceptor_name": "赵六"});
        let (status, err) =
            app.post(&cast.get(Who::Officer).token, &format!("/api/v1/hazards/{id}/verify"), &body).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("acceptor_is_rectifier")));
    })
    .await;
}

/// Brings the report back to `target` from wherever it is, by the steps the life cycle allows.
async fn reach(app: &TestApp, users: &StatsCast, id: i64, target: &str) {
    let (_, r) = app.get(&users.principal.token, &format!("/api/v1/hazard-statistics/{id}")).await;
    let regenerate = json!({"period": "2026Q4"});
    match r["status"].as_str().unwrap() {
        "submitted" => {
            let path = format!("/api/v1/hazard-statistics/{id}/return");
            let (status, v) = app.post(&users.regulator.token, &path, &json!({"reason": "数据有误"})).await;
            assert_eq!(status, StatusCode::OK, "{v}");
        }
        "confirmed" => {
            let (status, v) = app.post(&users.principal.token, "/api/v1/hazard-statistics", &regenerate).await;
            assert_eq!(status, StatusCode::OK, "{v}");
        }
        _ => {}
    }
    for (step, past) in [("confirm", "draft"), ("submit", "confirmed")] {
        if target == past {
            return;
        }
        let path = format!("/api/v1/hazard-statistics/{id}/{step}");
        let (status, v) = app.post(&users.principal.token, &path, &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{step}: {v}");
    }
}

struct StatsCast {
    regulator: TestUser,
    principal: TestUser,
    everyone: Vec<(&'static str, TestUser)>,
}

#[tokio::test]
async fn a_statistics_report_lists_exactly_the_steps_the_api_accepts() {
    on_each_backend(|app| async move {
        app.clock.set(chrono::DateTime::parse_from_rfc3339("2027-01-05T02:00:00Z").unwrap().to_utc());
        let c = cast(&app).await;
        let body = enterprise_body(&code("420103", 2), "乙机械有限公司", "industry_trade", "it_machinery", "420103");
        let other = app.enterprise(&c.get(Who::Regulator).token, body).await;
        let mut users = c.users;
        let everyone = vec![
            ("principal", users.remove(3)),
            ("officer", users.remove(3)),
            ("staff", users.remove(3)),
            ("inspector", users.remove(1)),
            ("other_principal", app.user("yi_fzr").role(Role::Principal).enterprise(other).create().await),
        ];
        let principal = app.user("fzr2").role(Role::Principal).enterprise(c.enterprise).create().await;
        let s = StatsCast { regulator: users.remove(0), principal, everyone };
        let (status, r) = app.post(&s.principal.token, "/api/v1/hazard-statistics", &json!({"period": "2026Q4"})).await;
        assert_eq!(status, StatusCode::OK, "{r}");
        let id = r["id"].as_i64().unwrap();
        let mut accepted = 0;
        for target in ["draft", "confirmed", "submitted"] {
            let all = s.everyone.iter().map(|(n, u)| (*n, u)).chain([("regulator", &s.regulator)]);
            for (name, u) in all {
                reach(&app, &s, id, target).await;
                let (status, r) = app.get(&u.token, &format!("/api/v1/hazard-statistics/{id}")).await;
                let listed: Vec<String> = if status == StatusCode::NOT_FOUND {
                    Vec::new()
                } else {
                    r["allowed_actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect()
                };
                for action in ["confirm", "submit", "return"] {
                    reach(&app, &s, id, target).await;
                    let path = format!("/api/v1/hazard-statistics/{id}/{action}");
                    let (status, v) = app.post(&u.token, &path, &json!({"reason": "数据有误"})).await;
                    let ok = status == StatusCode::OK;
                    assert_eq!(ok, listed.iter().any(|a| a == action), "{target} as {name}: {action} → {status} {v}");
                    accepted += usize::from(ok);
                }
            }
        }
        // The principal confirms a draft, the principal and the officer submit, the regulator returns.
        assert_eq!(accepted, 4);
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_describes_each_steps_body() {
    on_each_backend(|app| async move {
        let (status, doc) = app.send(app.client.get(app.url("/api/openapi.json"))).await;
        assert_eq!(status, StatusCode::OK);
        let required: [(&str, &[&str]); 16] = [
            ("confirm", &[]),
            ("dismiss", &["note"]),
            ("regrade", &["level", "reason"]),
            ("assign", &["assignment"]),
            ("plan", &["plan"]),
            ("progress", &["note"]),
            ("suspend", &["basis", "scope_text"]),
            ("submit", &[]),
            ("verify", &["passed"]),
            ("request_extension", &["note"]),
            ("decide_extension", &["approved"]),
            ("reopen", &["note"]),
            ("void", &["note"]),
            ("approve_void", &["approved"]),
            ("apply_resumption", &["resumption_application_ids"]),
            ("lift_suspension", &[]),
        ];
        for (action, fields) in required {
            let op = &doc["paths"][format!("/api/v1/hazards/{{id}}/{action}")]["post"];
            let reference = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str().unwrap();
            let schema = &doc["components"]["schemas"][reference.trim_start_matches("#/components/schemas/")];
            let mut listed: Vec<&str> =
                schema["required"].as_array().into_iter().flatten().map(|f| f.as_str().unwrap()).collect();
            listed.sort_unstable();
            assert_eq!(listed, fields, "{action}: {schema}");
            assert!(schema["properties"]["attachment_ids"].is_object(), "{action}: {schema}");
        }
        let assign = &doc["components"]["schemas"]["AssignRequest"]["properties"]["assignment"];
        assert_eq!(assign["$ref"], "#/components/schemas/Assignment", "{assign}");
        assert!(doc["paths"].get("/api/v1/hazards/{id}/{action}").is_none(), "no loose step path is left");
        for response in ["HazardResponse", "ReportResponse"] {
            let items = &doc["components"]["schemas"][response]["properties"]["allowed_actions"]["items"];
            let name = items["$ref"].as_str().unwrap().trim_start_matches("#/components/schemas/");
            assert!(doc["components"]["schemas"][name]["enum"].is_array(), "{response}: {name} is not in the document");
        }
    })
    .await;
}
