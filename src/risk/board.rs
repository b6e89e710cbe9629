//! 岗位风险告知牌: a risk point's notice board, printed and posted at the place, with a
//! QR code linking its public copy (`/public/risk-boards/{token}`).
//!
//! Decisions:
//! - The public copy shows exactly what the printed board shows — the enterprise's name,
//!   the point's name, place, level, hazard factors, control and emergency measures, the
//!   owning level, the responsible person's name, the enterprise's registered phone as the
//!   emergency phone, and the national emergency numbers — and nothing else: no scores,
//!   no ids, no other points. It is found only by the point's 256-bit random token
//!   (`board_token`); anything else, including a malformed token, is 404.
//! - The QR code is an SVG made on the server (crate `qrcode`, no image features) from
//!   the absolute link (`ANJIAN_PUBLIC_URL`).

use super::domain::RiskLevel;
use crate::auth::CurrentUser;
use crate::entities::{enterprise, risk_point};
use crate::error::{AppError, AppResult};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// What a board shows.
#[derive(Debug, Clone)]
pub struct Board {
    pub enterprise_name: String,
    pub name: String,
    pub location: String,
    pub level: RiskLevel,
    pub level_label: String,
    pub hazard_factors: String,
    pub control_measures: String,
    pub emergency_measures: String,
    pub owning_level: String,
    pub responsible_person: String,
    pub emergency_phone: Option<String>,
    /// The public copy's absolute link, and its QR code as inline SVG.
    pub public_url: String,
    pub qr_svg: String,
}

/// The path of a board's public copy.
pub fn public_path(token: &str) -> String {
    format!("/public/risk-boards/{token}")
}

/// A QR code of `text` as an inline `<svg>` element (no XML declaration).
pub fn qr_svg(text: &str) -> AppResult<String> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("qr code: {e}")))?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(160, 160).quiet_zone(true).build();
    Ok(svg.find("<svg").map_or(svg.clone(), |at| svg[at..].to_owned()))
}

fn board_of(p: risk_point::Model, e: enterprise::Model) -> AppResult<Board> {
    let token = p.board_token.ok_or(AppError::NotFound)?;
    let public_url = crate::mail::link(&public_path(&token));
    Ok(Board {
        qr_svg: qr_svg(&public_url)?,
        public_url,
        enterprise_name: e.name,
        name: p.name,
        location: p.location,
        level: p.level,
        level_label: p.level.zh().to_owned(),
        hazard_factors: p.hazard_factors,
        control_measures: p.control_measures,
        emergency_measures: p.emergency_measures,
        owning_level: p.owning_level.zh().to_owned(),
        responsible_person: p.responsible_person,
        emergency_phone: e.phone.filter(|p| !p.trim().is_empty()),
    })
}

/// The board of point `point_id` of enterprise `enterprise_id`, for anyone who sees the enterprise.
pub async fn for_point<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    enterprise_id: i64,
    point_id: i64,
) -> AppResult<Board> {
    let e = crate::enterprise::service::get_scoped(db, &user.scope, enterprise_id).await?;
    let p = risk_point::Entity::find_by_id(point_id)
        .filter(risk_point::Column::EnterpriseId.eq(e.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    board_of(p, e)
}

/// The board with this token, for anyone (404 for anything else).
pub async fn public<C: ConnectionTrait>(db: &C, token: &str) -> AppResult<Board> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let p = risk_point::Entity::find()
        .filter(risk_point::Column::BoardToken.eq(token.to_ascii_lowercase()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = enterprise::Entity::find_by_id(p.enterprise_id).one(db).await?.ok_or(AppError::NotFound)?;
    board_of(p, e)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_qr_code_is_an_inline_svg() {
        let svg = super::qr_svg("https://anjian.example.gov.cn/public/risk-boards/ab").unwrap_or_default();
        assert!(svg.starts_with("<svg") && svg.contains("<path"), "{svg}");
    }
}
