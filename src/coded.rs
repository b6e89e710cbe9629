//! Coded enums: fieldless enums whose variants each carry a stable English
//! code (stored, sent over the API, in serde) and a Chinese display name, with
//! parsing that names the classification when a value is unknown. Every
//! module's classifications (sectors, hazard levels, roles, …) are written with
//! [`coded_enum!`].
//!
//! Each enum is also a sea-orm active enum over a text column, whose stored
//! values are exactly the codes, so an entity column can have the enum as its
//! type: rows written before the columns were typed stay valid, and a stored
//! value that is no known code fails the read (`DbErr::Type`, an internal
//! error) instead of turning into a default.

/// A string that names no variant of a classification enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}“{value}”无法识别")]
pub struct UnknownValue {
    /// Chinese name of the classification, e.g. 行业类别.
    pub kind: &'static str,
    pub value: String,
}

/// Defines a fieldless enum whose variants each carry a stable English code
/// (storage, API, serde) and a Chinese display name.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident in $kind:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:tt / $zh:tt, )+
        }
    ) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema,
            ::sea_orm::EnumIter, ::sea_orm::DeriveActiveEnum,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] #[sea_orm(string_value = $code)] $variant, )+
        }

        impl $name {
            /// Every variant, in display order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// Stable English code, as stored and sent over the API.
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            /// Chinese display name.
            pub const fn zh(self) -> &'static str {
                match self { $(Self::$variant => $zh),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::coded::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let s = s.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::coded::UnknownValue { kind: $kind, value: s.to_owned() })
            }
        }
    };
}

pub(crate) use coded_enum;
