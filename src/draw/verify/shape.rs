//! §6.1–§6.2: the proof names the format this build knows, and its lists are canonical
//! (sorted, no duplicates) and consistent (strata sizes, counts, weights, exclusions
//! naming pool members).
//!
//! Decisions: user ids are on every inspector or on none (a full or a public proof); a
//! mixture is refused, naming the first inspector without one.

use super::Mismatch;
use crate::draw::domain::{ALGORITHM, FORMAT, FORMAT_VERSION, HASH};
use crate::draw::proof::Proof;
use std::collections::HashMap;

fn fail<T>(text: String) -> Result<T, Mismatch> {
    Err(Mismatch(text))
}

/// §6.1.
pub fn names(p: &Proof) -> Result<(), Mismatch> {
    if p.format != FORMAT {
        return fail(format!("证明格式不符（format）：应为 {FORMAT}，实为 {}", p.format));
    }
    if p.format_version != FORMAT_VERSION {
        return fail(format!("证明格式版本不符（format_version）：应为 {FORMAT_VERSION}，实为 {}", p.format_version));
    }
    if p.algorithm != ALGORITHM {
        return fail(format!("抽取算法不符（algorithm）：本程序只能核验 {ALGORITHM}，实为 {}", p.algorithm));
    }
    if p.hash != HASH {
        return fail(format!("哈希算法不符（hash）：应为 {HASH}，实为 {}", p.hash));
    }
    Ok(())
}

/// The first index at which `key` does not strictly increase.
fn unsorted<'a, T, K: PartialOrd>(items: &'a [T], key: impl Fn(&'a T) -> K) -> Option<usize> {
    items.windows(2).position(|w| key(&w[0]) >= key(&w[1])).map(|i| i + 1)
}

/// §6.2: canonical order and no duplicates.
pub fn order(p: &Proof) -> Result<(), Mismatch> {
    if let Some(i) = unsorted(&p.enterprises, |e| e.id) {
        return fail(format!("企业名录未按编号严格升序排列或有重复（enterprises[{i}].id）"));
    }
    if let Some(i) = unsorted(&p.inspectors, |x| x.certificate_no.as_bytes()) {
        return fail(format!("执法人员名录未按执法证号严格升序排列或有重复（inspectors[{i}].certificate_no）"));
    }
    for (i, x) in p.inspectors.iter().enumerate() {
        if let Some(j) = unsorted(&x.specialties, String::as_bytes) {
            return fail(format!("专业未按顺序排列或有重复（inspectors[{i}].specialties[{j}]）"));
        }
    }
    if let Some(i) = unsorted(&p.exclusions, |x| (x.enterprise_id, x.certificate_no.as_bytes())) {
        return fail(format!("回避名单未按企业编号、执法证号排列或有重复（exclusions[{i}]）"));
    }
    if let Some(i) = unsorted(&p.ineligible, |y| y.id) {
        return fail(format!("未入库名单未按编号严格升序排列或有重复（ineligible[{i}].id）"));
    }
    if let Some(i) = unsorted(&p.parameters.strata, |s| s.key.as_bytes()) {
        return fail(format!("分层未按名称排列或有重复（parameters.strata[{i}].key）"));
    }
    let with_id = p.inspectors.iter().filter(|x| x.user_id.is_some()).count();
    if with_id != 0 && with_id != p.inspectors.len() {
        let i = p.inspectors.iter().position(|x| x.user_id.is_none()).unwrap_or(0);
        return fail(format!("部分执法人员缺少用户编号（inspectors[{i}].user_id）：应全部都有或全部都没有"));
    }
    Ok(())
}

/// §6.2: strata sizes and counts, weights.
pub fn strata(p: &Proof) -> Result<(), Mismatch> {
    let index: HashMap<&str, usize> =
        p.parameters.strata.iter().enumerate().map(|(i, s)| (s.key.as_str(), i)).collect();
    let mut members = vec![0u64; p.parameters.strata.len()];
    let mut weight = vec![0u64; p.parameters.strata.len()];
    for (i, e) in p.enterprises.iter().enumerate() {
        let Some(&s) = index.get(e.stratum.as_str()) else {
            return fail(format!("企业所在分层不在分层列表中（enterprises[{i}].stratum）：{}", e.stratum));
        };
        if !(1..=1000).contains(&e.weight) {
            return fail(format!("权重应为 1 至 1000 的整数（enterprises[{i}].weight）：实为 {}", e.weight));
        }
        if !p.parameters.weighted && e.weight != 1 {
            return fail(format!(
                "未按权重抽取时权重都应为 1（enterprises[{i}].weight）：实为 {}（见 parameters.weighted）",
                e.weight
            ));
        }
        members[s] += 1;
        weight[s] += u64::from(e.weight);
    }
    for (i, s) in p.parameters.strata.iter().enumerate() {
        if u64::from(s.size) != members[i] {
            return fail(format!(
                "分层的企业数不符（parameters.strata[{i}].size）：写明 {}，名录中有 {}",
                s.size, members[i]
            ));
        }
        if s.count > s.size {
            return fail(format!("抽取数超过分层企业数（parameters.strata[{i}].count）：{} > {}", s.count, s.size));
        }
        if weight[i] >= 1 << 32 {
            return fail(format!("分层的权重总和应小于 2³²（parameters.strata[{i}]）"));
        }
    }
    Ok(())
}

/// §6.2: exclusions name pool members.
pub fn exclusions(p: &Proof) -> Result<(), Mismatch> {
    for (i, x) in p.exclusions.iter().enumerate() {
        if p.enterprises.binary_search_by_key(&x.enterprise_id, |e| e.id).is_err() {
            return fail(format!(
                "回避名单中的企业不在企业名录中（exclusions[{i}].enterprise_id）：{}",
                x.enterprise_id
            ));
        }
        let cert = x.certificate_no.as_bytes();
        if p.inspectors.binary_search_by(|y| y.certificate_no.as_bytes().cmp(cert)).is_err() {
            return fail(format!(
                "回避名单中的执法证号不在执法人员名录中（exclusions[{i}].certificate_no）：{}",
                x.certificate_no
            ));
        }
    }
    Ok(())
}
