//! `vocab!`: a closed set of names as an enum. Each declared set parses from
//! its kebab-case names, lists them for "expected one of" messages,
//! displays and serializes as its name and parses from the command line.
//! The vocabularies of the declaration format live in
//! [`crate::model::vocab`]; severities, change kinds and RACI letters are
//! declared where they are used.

macro_rules! vocab {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            /// Every name of the vocabulary, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),*];
            /// Every value of the vocabulary, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// Returns the kebab-case name.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Parses a kebab-case name.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.name())
            }
        }

        /// Serializes as the kebab-case name.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }

        /// Parses from the command line by name.
        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                Self::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.name()))
            }
        }
    };
}

pub(crate) use vocab;
