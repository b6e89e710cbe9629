//! Demo data for a first look: a province with bureaus at three levels, a few
//! hundred enterprises in all four sectors with valid credit codes, and a user
//! for every role. Also the synthetic rosters the benchmarks import.

use crate::audit::AuditCtx;
use crate::auth::{
    Role, password,
    service::{NewUser, create_user},
};
use crate::bureau;
use crate::enterprise::domain::{
    CreditCode, EnterpriseStatus, MajorHazardGrade, RegionCode, Sector, StandardizationGrade, SubType,
};
use crate::enterprise::{draft::Draft, service};
use crate::entities::{enterprise, user};
use crate::error::AppResult;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{EntityTrait, PaginatorTrait};

/// The shared password of every demo account (shown at start-up; demo only).
pub const DEMO_PASSWORD: &str = "anjian-demo-2026";

/// Counties of the demo province (湖北省): 江汉区, 洪山区, 江夏区 (武汉), 黄石港区, 大冶市 (黄石).
pub const DEMO_COUNTIES: [&str; 5] = ["420103", "420111", "420115", "420202", "420281"];

/// A small deterministic generator (splitmix64), so demo data and benchmark files are reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % (n as u64)).unwrap_or(0)
    }

    pub fn below_u32(&mut self, n: u32) -> u32 {
        u32::try_from(self.next_u64() % u64::from(n)).unwrap_or(0)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const NAMES: [&str; 12] =
    ["宏达", "兴业", "鑫源", "长江", "楚天", "华盛", "恒通", "金山", "东方", "瑞丰", "荆楚", "汉江"];
const SUFFIX: [(Sector, &str); 4] = [
    (Sector::HazardousChemicals, "化工有限公司"),
    (Sector::Fireworks, "烟花爆竹有限公司"),
    (Sector::NonCoalMine, "矿业有限公司"),
    (Sector::IndustryTrade, "机械制造有限公司"),
];

/// The `i`-th synthetic enterprise: a valid credit code in `region` and a full draft.
pub fn synthetic(i: usize, region: &RegionCode, rng: &mut Rng) -> (CreditCode, Draft) {
    let mut org = String::with_capacity(9);
    let mut n = i;
    for _ in 0..8 {
        org.insert(0, char::from(ALPHABET[n % 31]));
        n /= 31;
    }
    org.push(char::from(ALPHABET[rng.below(31)]));
    let body = format!("91{}{org}", region.as_str());
    let code = CreditCode::from_body(&body).unwrap_or_else(|_| unreachable!("17 valid characters"));
    let (sector, suffix) = *rng.pick(&SUFFIX);
    let subs: Vec<SubType> = sector.sub_types().collect();
    let sub = *rng.pick(&subs);
    let grades = [None, None, None, Some(MajorHazardGrade::Grade3), Some(MajorHazardGrade::Grade4)];
    let draft = Draft {
        name: Some(format!(
            "{}{}{}{i}",
            crate::bureau::regions::name(region.as_str()).unwrap_or("湖北"),
            rng.pick(&NAMES),
            suffix
        )),
        sector: Some(sector),
        sub_types: Some(vec![sub]),
        special_topics: Some(Vec::new()),
        region: Some(region.clone()),
        address: Some(format!(
            "{}工业园{}号",
            crate::bureau::regions::name(region.as_str()).unwrap_or(""),
            i % 500 + 1
        )),
        legal_representative: Some(format!("张{}", rng.pick(&["伟", "芳", "军", "敏", "强"]))),
        principal: Some(format!("李{}", rng.pick(&["明", "华", "刚", "丽", "涛"]))),
        phone: Some(format!("027-8{:07}", rng.below(10_000_000))),
        email: None,
        employees: Some(i32::try_from(10 + rng.below(490)).unwrap_or(10)),
        above_designated_size: Some(rng.below(2) == 0),
        major_hazard_grade: (sector == Sector::HazardousChemicals)
            .then(|| rng.pick(&grades).map_or("none", MajorHazardGrade::as_str).to_owned()),
        standardization_grade: Some(*rng.pick(&[
            StandardizationGrade::Level2,
            StandardizationGrade::Level3,
            StandardizationGrade::Unrated,
        ])),
        standardization_date: None,
        coords: Some((
            114.0 + f64::from(rng.below_u32(10_000)) / 10_000.0,
            30.3 + f64::from(rng.below_u32(5_000)) / 10_000.0,
        )),
    };
    (code, draft)
}

/// A synthetic row as a stored model (for writing benchmark rosters without a database).
pub fn synthetic_model(i: usize, region: &RegionCode, rng: &mut Rng, at: DateTime<Utc>) -> enterprise::Model {
    let (code, d) = synthetic(i, region, rng);
    enterprise::Model {
        id: i64::try_from(i).unwrap_or_default(),
        credit_code: code.as_str().to_owned(),
        name: d.name.clone().unwrap_or_default(),
        sector: d.sector.unwrap_or(Sector::HazardousChemicals),
        sub_types: d
            .sub_types
            .as_ref()
            .map(|v| crate::enterprise::draft::join_codes(v, SubType::as_str))
            .unwrap_or_default(),
        special_topics: String::new(),
        region_code: region.as_str().to_owned(),
        supervising_bureau_id: 0,
        address: d.address.clone(),
        legal_representative: d.legal_representative.clone(),
        principal: d.principal.clone(),
        phone: d.phone.clone(),
        email: None,
        employees: d.employees,
        above_designated_size: d.above_designated_size,
        major_hazard_grade: d.major_hazard_grade.clone(),
        standardization_grade: d.standardization_grade.unwrap_or(StandardizationGrade::Unrated),
        standardization_date: None,
        longitude: d.coords.map(|c| c.0),
        latitude: d.coords.map(|c| c.1),
        status: EnterpriseStatus::Operating,
        supervision_class: None,
        risk_grade: None,
        grading_source: None,
        graded_at: None,
        version: 1,
        created_at: at,
        updated_at: at,
    }
}

struct DemoUser {
    username: &'static str,
    role: Role,
    region: &'static str,
}

const USERS: [DemoUser; 9] = [
    DemoUser { username: "sheng_jg", role: Role::Regulator, region: "420000" },
    DemoUser { username: "wuhan_jg", role: Role::Regulator, region: "420100" },
    DemoUser { username: "jianghan_jg", role: Role::Regulator, region: "420103" },
    DemoUser { username: "jianghan_zf", role: Role::Inspector, region: "420103" },
    DemoUser { username: "jianghan_zf2", role: Role::Inspector, region: "420103" },
    DemoUser { username: "jianghan_fz", role: Role::LegalReviewer, region: "420103" },
    DemoUser { username: "jianghan_fzr", role: Role::Approver, region: "420103" },
    DemoUser { username: "jianghan_wg", role: Role::GridWorker, region: "420103" },
    DemoUser { username: "jianghan_zj", role: Role::Expert, region: "420103" },
];

async fn seed_users<C: sea_orm::ConnectionTrait>(
    txn: &C,
    ctx: &AuditCtx,
    hash: &str,
    first: Option<&enterprise::Model>,
) -> AppResult<Vec<(String, String)>> {
    let mut logins = Vec::new();
    for u in &USERS {
        let region = RegionCode::parse(u.region).map_err(|e| anyhow::anyhow!("{e}"))?;
        let b = bureau::ensure_for_region(txn, ctx, &region).await?;
        let inspector = u.role == Role::Inspector;
        create_user(
            txn,
            ctx,
            NewUser {
                username: u.username.to_owned(),
                display_name: format!("{}（{}）", b.name, u.role.zh()),
                password_hash: hash.to_owned(),
                roles: vec![u.role],
                bureau_id: Some(b.id),
                certificate_no: inspector.then(|| format!("42010300{}", u.username.len())),
                certificate_valid_until: inspector.then(|| NaiveDate::from_ymd_opt(2028, 12, 31)).flatten(),
                ..NewUser::default()
            },
        )
        .await?;
        logins.push((u.username.to_owned(), format!("{} {}", b.name, u.role.zh())));
    }
    if let Some(e) = first {
        for (username, role) in [("qy_fzr", Role::Principal), ("qy_aqy", Role::SafetyOfficer), ("qy_yg", Role::Staff)] {
            create_user(
                txn,
                ctx,
                NewUser {
                    username: username.to_owned(),
                    display_name: format!("{}（{}）", e.name, role.zh()),
                    password_hash: hash.to_owned(),
                    roles: vec![role],
                    enterprise_ids: vec![e.id],
                    ..NewUser::default()
                },
            )
            .await?;
            logins.push((username.to_owned(), format!("{} {}", e.name, role.zh())));
        }
    }
    Ok(logins)
}

/// Seeds an empty database; returns the logins to print, or nothing if data exists.
pub async fn seed_if_empty(state: &AppState, enterprises_per_county: usize) -> AppResult<Vec<(String, String)>> {
    if user::Entity::find().count(state.db.conn()).await? > 0 {
        return Ok(Vec::new());
    }
    let hash = password::hash_blocking(DEMO_PASSWORD.to_owned()).await?;
    // Servers starting together on one empty PostgreSQL database: the first seeds,
    // the others wait here and then find users. On SQLite the write transaction
    // below is the lock, and the count is checked again inside it.
    let lock = state.db.lock(crate::db::DEMO_LOCK).await?;
    let logins = state
        .write("system:demo", async |tx| {
            tx.touch(crate::write::Touched::Register);
            if user::Entity::find().count(tx).await? > 0 {
                return Ok(Vec::new());
            }
            let mut rng = Rng::new(2026);
            let mut first = None;
            for (c, county) in DEMO_COUNTIES.iter().enumerate() {
                let region = RegionCode::parse(county).map_err(|e| anyhow::anyhow!("{e}"))?;
                let b = bureau::ensure_for_region(tx, tx.ctx(), &region).await?;
                for i in 0..enterprises_per_county {
                    let (code, d) = synthetic(c * 10_000 + i, &region, &mut rng);
                    let row = service::create(tx, tx.ctx(), &code, &d, b.id).await?;
                    first.get_or_insert(row);
                }
            }
            seed_users(tx, tx.ctx(), &hash, first.as_ref()).await
        })
        .await?;
    if logins.is_empty() {
        return Ok(logins);
    }
    crate::demo_hazards::seed(state).await?;
    crate::demo_inspections::seed(state).await?;
    crate::demo_cases::seed(state).await?;
    crate::demo_risk::seed(state).await?;
    crate::demo_special_operations::seed(state).await?;
    crate::demo_emergency_plans::seed(state).await?;
    crate::indicator::inputs::demo::seed(state).await?;
    // The cockpit opens on figures, not on 尚未计算.
    state
        .write("system:demo", async |tx| {
            let year = chrono::Datelike::year(&crate::clock::china_date(tx.now()));
            crate::indicator::compute::run(tx, &crate::indicator::counts::Within::default(), year, tx.now()).await
        })
        .await?;
    if let Some(lock) = lock {
        lock.commit().await?;
    }
    Ok(logins)
}

/// A session of the demo user `username` (404 when there is none), so the demo is
/// seeded through the same use cases as the API.
pub async fn as_user(state: &AppState, username: &str) -> AppResult<crate::auth::CurrentUser> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let u = user::Entity::find().filter(user::Column::Username.eq(username)).one(state.db.conn()).await?;
    let id = u.ok_or(crate::error::AppError::NotFound)?.id;
    Ok(crate::auth::service::open_session(state, id).await?.1)
}
