from django.urls import path

from .views import auth, bulk, companies, controls, dossiers, impact, jobs, provider, staff, statistics

app_name = "web"

urlpatterns = [
    path("", auth.home, name="home"),
    # provider portal
    path("dienstverlener/", provider.dashboard, name="provider_dashboard"),
    path("dienstverlener/aanvraag/", provider.new_application, name="provider_new"),
    path("dienstverlener/aanvraag/pakketten/", provider.new_packages, name="provider_new_packages"),
    path("dienstverlener/dossiers/<int:pk>/pakketten/", provider.draft_packages, name="provider_packages"),
    path("dienstverlener/dossiers/<int:pk>/documenten/", provider.draft_documents, name="provider_documents"),
    path("dienstverlener/dossiers/<int:pk>/indienen/", provider.draft_submit, name="provider_submit"),
    # SME
    path("kmo/", staff.sme_dashboard, name="sme_dashboard"),
    # dossiers, shared by the roles that may see them
    path("dossiers/<int:pk>/", dossiers.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:pk>/overgang/<slug:name>/", dossiers.dossier_transition, name="dossier_transition"),
    path("dossiers/<int:pk>/prestatiestaat/", dossiers.statement_create, name="statement_create"),
    path("dossiers/<int:pk>/betalingsaanvraag/", dossiers.payment_request_create, name="payment_request_create"),
    path("dossiers/<int:pk>/eindverslag/", impact.final_report_submit, name="final_report_submit"),
    path("dossiers/<int:pk>/themas/", impact.planned_themes, name="planned_themes"),
    path("dossiers/<int:pk>/opvolging/", impact.follow_up, name="follow_up"),
    path("dossiers/<int:pk>/eindverslag/medeondertekenen/", dossiers.final_report_cosign, name="final_report_cosign"),
    path("dossiers/<int:pk>/bevestigen/", dossiers.sme_confirm, name="sme_confirm"),
    path("dossiers/<int:pk>/terugvordering/", dossiers.recovery_create, name="recovery_create"),
    path("dossiers/<int:pk>/afrekening/", dossiers.settlement_approve, name="settlement_approve"),
    path("terugvorderingen/<int:pk>/inning/", dossiers.collection_record, name="collection_record"),
    path("documenten/<int:pk>/", dossiers.document_download, name="document_download"),
    path("betalingsaanvragen/<int:pk>/", dossiers.payment_request_review, name="payment_request_review"),
    path("betalingsaanvragen/<int:pk>/goedkeuren/", dossiers.payment_request_approve, name="payment_request_approve"),
    path("betalingsaanvragen/<int:pk>/afwijzen/", dossiers.payment_request_reject, name="payment_request_reject"),
    # back office
    path("backoffice/", staff.backoffice_queue, name="backoffice_queue"),
    path("backoffice/betalingen/", staff.backoffice_payments, name="backoffice_payments"),
    path("backoffice/ondernemingen/", companies.company_search, name="company_search"),
    path("backoffice/ondernemingen/<int:pk>/", companies.company_master_data, name="company_master_data"),
    path("inlezen/", bulk.bulk_import, name="bulk_import"),
    path("inlezen/fouten.xlsx", bulk.bulk_errors, name="bulk_errors"),
    path("inlezen/sjabloon-<slug:kind>.xlsx", bulk.bulk_template, name="bulk_template"),
    # control
    path("controle/", staff.control_home, name="control_home"),
    path("controle/audittrail/", staff.control_audit, name="control_audit"),
    path("controle/risico/", controls.risk_queue_view, name="risk_queue"),
    path("dossiers/<int:pk>/controle/", controls.control_create, name="control_create"),
    # statistics
    path("statistieken/", statistics.statistics, name="statistics"),
    path("statistieken/antwoord-526.xlsx", statistics.statistics_workbook, name="statistics_workbook"),
    path("statistieken/antwoord-526.docx", statistics.statistics_document, name="statistics_document"),
    path("statistieken/achtergrond/", jobs.report_start_view, name="report_start"),
    # background jobs (cstraject.jobs)
    path("taken/", jobs.my_jobs, name="my_jobs"),
    path("taken/status.json", jobs.jobs_status, name="jobs_status"),
    path("taken/<int:pk>/status.json", jobs.job_status, name="job_status"),
    path("taken/<int:pk>/resultaat/", jobs.job_result, name="job_result"),
    path("controle/risico/screening/", jobs.screening_start_view, name="screening_start"),
    path("inlezen/register/", jobs.register_import, name="register_import"),
]
