// The database schema, written to match both `migrations/sqlite` and `migrations/postgres`.
// Only portable column types are used (BigInt ids, Text, Integer, Bool, Date, Timestamp in UTC).

diesel::table! {
    bases (id) {
        id -> BigInt,
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        city_zh -> Text,
        city_en -> Text,
        district_zh -> Text,
        district_en -> Text,
        division_code -> Text,
        description_zh -> Text,
        description_en -> Text,
        sort_order -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    agencies (id) {
        id -> BigInt,
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        city_code -> Text,
        kind -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    segments (id) {
        id -> BigInt,
        code -> Text,
        parent_code -> Nullable<Text>,
        name_zh -> Text,
        name_en -> Text,
        sort_order -> Integer,
    }
}

diesel::table! {
    programs (id) {
        id -> BigInt,
        code -> Text,
        title_zh -> Text,
        title_en -> Text,
        summary_zh -> Text,
        summary_en -> Text,
        lead_agency_id -> BigInt,
        city_code -> Text,
        call_opens_at -> Timestamp,
        call_closes_at -> Timestamp,
        budget_total_fen -> BigInt,
        budget_used_fen -> BigInt,
        notice_working_days -> Integer,
        supplement_working_days -> Integer,
        rules_json -> Text,
        sort_order -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    program_agencies (program_id, agency_id) {
        program_id -> BigInt,
        agency_id -> BigInt,
        role -> Text,
    }
}

diesel::table! {
    program_materials (id) {
        id -> BigInt,
        program_id -> BigInt,
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        required -> Bool,
        sort_order -> Integer,
    }
}

diesel::table! {
    calendar_days (day) {
        day -> Date,
        kind -> Text,
        name_zh -> Text,
        name_en -> Text,
        provisional -> Bool,
    }
}

diesel::table! {
    seed_versions (name) {
        name -> Text,
        version -> Integer,
        checksum -> Text,
        applied_at -> Timestamp,
    }
}

diesel::table! {
    enterprises (id) {
        id -> BigInt,
        credit_code -> Text,
        name_zh -> Text,
        name_en -> Nullable<Text>,
        legal_representative -> Text,
        address -> Text,
        division_code -> Text,
        registered_capital_fen -> BigInt,
        founded_on -> Date,
        employees -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    enterprise_segments (enterprise_id, segment_id) {
        enterprise_id -> BigInt,
        segment_id -> BigInt,
    }
}

diesel::table! {
    tenancies (id) {
        id -> BigInt,
        enterprise_id -> BigInt,
        base_id -> BigInt,
        status -> Integer,
        applied_at -> Timestamp,
        admitted_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    applications (id) {
        id -> BigInt,
        program_id -> BigInt,
        enterprise_id -> BigInt,
        state -> Integer,
        title -> Text,
        amount_requested_fen -> BigInt,
        amount_approved_fen -> Nullable<BigInt>,
        submitted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(programs -> agencies (lead_agency_id));
diesel::joinable!(program_agencies -> programs (program_id));
diesel::joinable!(program_agencies -> agencies (agency_id));
diesel::joinable!(program_materials -> programs (program_id));
diesel::joinable!(enterprise_segments -> enterprises (enterprise_id));
diesel::joinable!(enterprise_segments -> segments (segment_id));
diesel::joinable!(tenancies -> enterprises (enterprise_id));
diesel::joinable!(tenancies -> bases (base_id));
diesel::joinable!(applications -> programs (program_id));
diesel::joinable!(applications -> enterprises (enterprise_id));

diesel::allow_tables_to_appear_in_same_query!(
    bases,
    agencies,
    segments,
    programs,
    program_agencies,
    program_materials,
    calendar_days,
    seed_versions,
    enterprises,
    enterprise_segments,
    tenancies,
    applications,
);
