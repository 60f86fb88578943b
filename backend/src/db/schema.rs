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
        division_code -> Nullable<Text>,
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
        kind -> Text,
        current_version -> Integer,
        budget_reserved_fen -> BigInt,
    }
}

diesel::table! {
    program_edits (id) {
        id -> BigInt,
        code -> Text,
        user_id -> BigInt,
        city_code -> Text,
        sort_order -> Integer,
        definition -> Text,
        problem -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    program_versions (id) {
        id -> BigInt,
        program_id -> BigInt,
        version -> Integer,
        definition -> Text,
        changes -> Text,
        created_at -> Timestamp,
        created_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    application_keys (application_id, kind, key) {
        application_id -> BigInt,
        kind -> Text,
        key -> Text,
        shown -> Text,
        active -> Bool,
    }
}

diesel::table! {
    application_materials (id) {
        id -> BigInt,
        application_id -> BigInt,
        material_code -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        uploaded_at -> Timestamp,
        uploaded_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    application_events (id) {
        id -> BigInt,
        application_id -> BigInt,
        at -> Timestamp,
        kind -> Text,
        from_state -> Nullable<Integer>,
        to_state -> Nullable<Integer>,
        actor_user_id -> Nullable<BigInt>,
        note -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        agency_id -> Nullable<BigInt>,
        round -> Integer,
        internal -> Bool,
    }
}

diesel::table! {
    supplement_flags (id) {
        id -> BigInt,
        application_id -> BigInt,
        round -> Integer,
        field -> Nullable<Text>,
        material_code -> Nullable<Text>,
        comment -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        due_on -> Date,
        answer_value -> Nullable<Text>,
        answer_reply -> Nullable<Text>,
        answered_file_sha256 -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
        answered_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    expert_assignments (id) {
        id -> BigInt,
        application_id -> BigInt,
        program_id -> BigInt,
        round -> Integer,
        expert_user_id -> BigInt,
        specialty -> Text,
        status -> Text,
        drawn_at -> Timestamp,
        drawn_by -> Nullable<BigInt>,
        declared_at -> Nullable<Timestamp>,
        recusal_reason -> Nullable<Text>,
        scored_at -> Nullable<Timestamp>,
        total -> Nullable<Integer>,
    }
}

diesel::table! {
    expert_scores (assignment_id, code) {
        assignment_id -> BigInt,
        code -> Text,
        score -> Integer,
        comment -> Text,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        application_id -> Nullable<BigInt>,
        title -> Text,
        body -> Text,
        link -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    decision_signatures (application_id, round, agency_id) {
        application_id -> BigInt,
        round -> Integer,
        agency_id -> BigInt,
        user_id -> BigInt,
        signed_at -> Timestamp,
    }
}

diesel::table! {
    application_forms (id) {
        id -> BigInt,
        application_id -> BigInt,
        sha256 -> Text,
        issued_at -> Timestamp,
        issued_to -> Nullable<BigInt>,
        kind -> Text,
    }
}

diesel::table! {
    enterprise_bans (id) {
        id -> BigInt,
        enterprise_id -> BigInt,
        program_id -> Nullable<BigInt>,
        starts_on -> Date,
        ends_on -> Date,
        reason -> Text,
        created_at -> Timestamp,
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
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        kind -> Text,
        payload -> Text,
        dedup_key -> Nullable<Text>,
        status -> Text,
        run_at -> Timestamp,
        attempts -> Integer,
        max_attempts -> Integer,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    calendar_years (year) {
        year -> Integer,
        provisional -> Bool,
        source -> Text,
        edited_in_portal -> Bool,
        updated_at -> Timestamp,
        updated_by -> Nullable<BigInt>,
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
        legal_representative -> Nullable<Text>,
        address -> Nullable<Text>,
        division_code -> Text,
        registered_capital_fen -> Nullable<BigInt>,
        founded_on -> Nullable<Date>,
        employees -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        district -> Nullable<Text>,
        verification -> Text,
        verification_reason -> Nullable<Text>,
        verified_at -> Nullable<Timestamp>,
        verified_by -> Nullable<BigInt>,
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
        segment_id -> Nullable<BigInt>,
        floor_space_m2 -> Nullable<Integer>,
        staff_on_site -> Nullable<Integer>,
        plan -> Nullable<Text>,
        reason -> Nullable<Text>,
        enterprise_name -> Text,
        enterprise_credit_code -> Text,
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
        recommending_base_id -> Nullable<BigInt>,
        recommended_at -> Nullable<Timestamp>,
        program_version -> Integer,
        project -> Text,
        computed_amount_fen -> Nullable<BigInt>,
        verification_code -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        withdrawn_at -> Nullable<Timestamp>,
        withdraw_reason -> Nullable<Text>,
        recommending_agency_id -> Nullable<BigInt>,
        acceptance_due_on -> Nullable<Date>,
        accepted_at -> Nullable<Timestamp>,
        declarations -> Nullable<Text>,
        review_round -> Integer,
        returned_from -> Nullable<Integer>,
        proposal -> Nullable<Text>,
        proposed_amount_fen -> Nullable<BigInt>,
        stage_entered_on -> Nullable<Date>,
        stage_due_on -> Nullable<Date>,
        assigned_reviewer_id -> Nullable<BigInt>,
        excluded_orgs -> Text,
        expert_result_milli -> Nullable<BigInt>,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        display_name -> Text,
        phone -> Nullable<Text>,
        locale -> Text,
        email_verified_at -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        password_changed_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        totp_secret -> Nullable<Text>,
        totp_pending_secret -> Nullable<Text>,
        totp_enabled_at -> Nullable<Timestamp>,
        totp_last_step -> Nullable<BigInt>,
        is_demo -> Bool,
        email_off -> Text,
    }
}

diesel::table! {
    user_roles (id) {
        id -> BigInt,
        user_id -> BigInt,
        role -> Text,
        enterprise_id -> Nullable<BigInt>,
        base_id -> Nullable<BigInt>,
        agency_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    expert_profiles (user_id) {
        user_id -> BigInt,
        specialties -> Text,
        employer_credit_code -> Text,
        past_employers -> Text,
        related_parties -> Text,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> BigInt,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        second_factor -> Text,
        second_factor_at -> Nullable<Timestamp>,
        second_factor_failures -> Integer,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        prefix -> Text,
        scope -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        email -> Text,
        role -> Text,
        enterprise_id -> Nullable<BigInt>,
        base_id -> Nullable<BigInt>,
        agency_id -> Nullable<BigInt>,
        specialties -> Nullable<Text>,
        employer_credit_code -> Nullable<Text>,
        locale -> Text,
        nonce -> Text,
        invited_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_failures (email) {
        email -> Text,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        event -> Text,
        actor_user_id -> Nullable<BigInt>,
        subject_user_id -> Nullable<BigInt>,
        email -> Nullable<Text>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        detail -> Text,
        actor_role -> Nullable<Text>,
        object_type -> Nullable<Text>,
        object_id -> Nullable<BigInt>,
        seq -> Nullable<BigInt>,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    audit_chain_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
        legacy_until -> BigInt,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        to_address -> Text,
        subject -> Text,
        body_text -> Text,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    enterprise_qualifications (id) {
        id -> BigInt,
        enterprise_id -> BigInt,
        kind -> Text,
        certificate_no -> Text,
        valid_from -> Nullable<Date>,
        valid_until -> Nullable<Date>,
    }
}

diesel::table! {
    enterprise_contacts (id) {
        id -> BigInt,
        enterprise_id -> BigInt,
        name -> Text,
        title -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
    }
}

diesel::table! {
    enterprise_changes (id) {
        id -> BigInt,
        enterprise_id -> BigInt,
        changed_at -> Timestamp,
        user_id -> Nullable<BigInt>,
        changes -> Text,
    }
}

diesel::table! {
    tenancy_events (id) {
        id -> BigInt,
        tenancy_id -> BigInt,
        occurred_at -> Timestamp,
        user_id -> Nullable<BigInt>,
        from_status -> Nullable<Integer>,
        to_status -> Integer,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    periodic_reports (id) {
        id -> BigInt,
        enterprise_id -> BigInt,
        period -> Text,
        revenue_total_fen -> BigInt,
        rd_spend_fen -> BigInt,
        employees -> Integer,
        content_4k_minutes -> BigInt,
        content_8k_minutes -> BigInt,
        patents_granted -> Integer,
        submitted_by -> Nullable<BigInt>,
        submitted_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    report_segment_revenue (report_id, segment_id) {
        report_id -> BigInt,
        segment_id -> BigInt,
        revenue_fen -> BigInt,
    }
}

diesel::table! {
    report_reminders (id) {
        id -> BigInt,
        base_id -> BigInt,
        period -> Text,
        enterprise_id -> BigInt,
        sent_by -> Nullable<BigInt>,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    import_reports (id) {
        id -> BigInt,
        base_id -> BigInt,
        user_id -> BigInt,
        created_at -> Timestamp,
        rows_json -> Text,
    }
}

diesel::table! {
    enterprise_documents (id) {
        id -> BigInt,
        enterprise_id -> BigInt,
        kind -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        uploaded_by -> Nullable<BigInt>,
        uploaded_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    credit_code_claims (id) {
        id -> BigInt,
        enterprise_id -> BigInt,
        claimant_user_id -> BigInt,
        company_name -> Text,
        licence_sha256 -> Text,
        licence_content_type -> Text,
        licence_size_bytes -> BigInt,
        status -> Text,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    tenancy_invitations (id) {
        id -> BigInt,
        base_id -> BigInt,
        enterprise_id -> BigInt,
        segment_id -> Nullable<BigInt>,
        invited_by -> BigInt,
        invited_at -> Timestamp,
        response -> Nullable<Text>,
        responded_by -> Nullable<BigInt>,
        responded_at -> Nullable<Timestamp>,
        tenancy_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(tenancy_invitations -> bases (base_id));
diesel::joinable!(credit_code_claims -> enterprises (enterprise_id));
diesel::joinable!(tenancy_invitations -> enterprises (enterprise_id));
diesel::joinable!(programs -> agencies (lead_agency_id));
diesel::joinable!(program_agencies -> programs (program_id));
diesel::joinable!(program_agencies -> agencies (agency_id));
diesel::joinable!(program_materials -> programs (program_id));
diesel::joinable!(enterprise_segments -> enterprises (enterprise_id));
diesel::joinable!(enterprise_segments -> segments (segment_id));
diesel::joinable!(tenancies -> enterprises (enterprise_id));
diesel::joinable!(tenancies -> bases (base_id));
diesel::joinable!(applications -> programs (program_id));
diesel::joinable!(program_versions -> programs (program_id));
diesel::joinable!(application_keys -> applications (application_id));
diesel::joinable!(application_materials -> applications (application_id));
diesel::joinable!(application_events -> applications (application_id));
diesel::joinable!(application_forms -> applications (application_id));
diesel::joinable!(supplement_flags -> applications (application_id));
diesel::joinable!(decision_signatures -> applications (application_id));
diesel::joinable!(decision_signatures -> agencies (agency_id));
diesel::joinable!(expert_assignments -> applications (application_id));
diesel::joinable!(notifications -> users (user_id));
diesel::table! {
    stage_spans (id) {
        id -> BigInt,
        application_id -> BigInt,
        program_id -> BigInt,
        state -> Integer,
        round -> Integer,
        entered_on -> Date,
        left_on -> Date,
        working_days -> Integer,
    }
}

diesel::joinable!(expert_scores -> expert_assignments (assignment_id));
diesel::joinable!(enterprise_bans -> enterprises (enterprise_id));
diesel::joinable!(enterprise_bans -> programs (program_id));
diesel::joinable!(applications -> enterprises (enterprise_id));
diesel::joinable!(applications -> bases (recommending_base_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(user_roles -> enterprises (enterprise_id));
diesel::joinable!(user_roles -> bases (base_id));
diesel::joinable!(user_roles -> agencies (agency_id));
diesel::joinable!(expert_profiles -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(enterprise_qualifications -> enterprises (enterprise_id));
diesel::joinable!(enterprise_contacts -> enterprises (enterprise_id));
diesel::joinable!(enterprise_changes -> enterprises (enterprise_id));
diesel::joinable!(tenancy_events -> tenancies (tenancy_id));
diesel::joinable!(enterprise_documents -> enterprises (enterprise_id));
diesel::joinable!(periodic_reports -> enterprises (enterprise_id));
diesel::joinable!(report_segment_revenue -> periodic_reports (report_id));
diesel::joinable!(report_segment_revenue -> segments (segment_id));

diesel::table! {
    notices (id) {
        id -> BigInt,
        program_id -> BigInt,
        published_by -> BigInt,
        published_at -> Timestamp,
        published_on -> Date,
        closes_on -> Date,
        working_days -> Integer,
    }
}

diesel::table! {
    notice_items (application_id) {
        application_id -> BigInt,
        notice_id -> BigInt,
        company_name -> Text,
        credit_code -> Text,
        project_title -> Text,
        amount_fen -> BigInt,
    }
}

diesel::table! {
    objections (id) {
        id -> BigInt,
        notice_id -> BigInt,
        application_id -> BigInt,
        objector_name -> Text,
        objector_email -> Text,
        objector_phone -> Nullable<Text>,
        objector_organisation -> Nullable<Text>,
        objector_id_number -> Nullable<Text>,
        objector_locale -> Text,
        facts -> Text,
        status -> Text,
        filed_at -> Timestamp,
        due_on -> Date,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
        findings -> Nullable<Text>,
    }
}

diesel::table! {
    objection_evidence (id) {
        id -> BigInt,
        objection_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
    }
}

diesel::table! {
    award_files (id) {
        id -> BigInt,
        application_id -> BigInt,
        kind -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        uploaded_by -> BigInt,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    awards (application_id) {
        application_id -> BigInt,
        program_id -> BigInt,
        enterprise_id -> BigInt,
        notice_id -> BigInt,
        amount_fen -> BigInt,
        approved_on -> Date,
        approved_at -> Timestamp,
        paid_fen -> BigInt,
        accepted_on -> Nullable<Date>,
        acceptance_report -> Nullable<Text>,
        revoked_on -> Nullable<Date>,
        revoke_reason -> Nullable<Text>,
        recover_fen -> BigInt,
        recovered_fen -> BigInt,
        closed_on -> Nullable<Date>,
        evaluation_due_on -> Nullable<Date>,
        evaluation_filed_at -> Nullable<Timestamp>,
        evaluation -> Nullable<Text>,
    }
}

diesel::table! {
    disbursements (id) {
        id -> BigInt,
        application_id -> BigInt,
        amount_fen -> BigInt,
        paid_on -> Date,
        voucher_number -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    recoveries (id) {
        id -> BigInt,
        application_id -> BigInt,
        amount_fen -> BigInt,
        recovered_on -> Date,
        voucher_number -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(notices -> programs (program_id));
diesel::joinable!(notice_items -> notices (notice_id));
diesel::joinable!(notice_items -> applications (application_id));
diesel::joinable!(objection_evidence -> objections (objection_id));
diesel::joinable!(awards -> applications (application_id));
diesel::joinable!(award_files -> awards (application_id));
diesel::joinable!(awards -> notices (notice_id));
diesel::joinable!(disbursements -> awards (application_id));
diesel::joinable!(recoveries -> awards (application_id));
diesel::joinable!(objections -> notice_items (application_id));

diesel::allow_tables_to_appear_in_same_query!(
    notices,
    notice_items,
    objections,
    objection_evidence,
    award_files,
    awards,
    disbursements,
    recoveries,
    program_edits,
    program_versions,
    application_keys,
    application_materials,
    application_events,
    application_forms,
    supplement_flags,
    decision_signatures,
    expert_assignments,
    expert_scores,
    notifications,
    enterprise_bans,
    tenancy_invitations,
    recovery_codes,
    credit_code_claims,
    bases,
    agencies,
    segments,
    programs,
    program_agencies,
    program_materials,
    calendar_days,
    calendar_years,
    jobs,
    seed_versions,
    enterprises,
    enterprise_segments,
    tenancies,
    applications,
    users,
    user_roles,
    expert_profiles,
    sessions,
    api_tokens,
    invitations,
    login_failures,
    audit_events,
    mail_outbox,
    enterprise_qualifications,
    enterprise_contacts,
    enterprise_changes,
    tenancy_events,
    periodic_reports,
    report_segment_revenue,
    report_reminders,
    import_reports,
    enterprise_documents,
    stage_spans,
);
