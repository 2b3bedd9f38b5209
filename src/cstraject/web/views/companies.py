"""Back office: company master data, found by exact enterprise number and corrected by the
agency (`company_update_master_data`, audited with before and after values)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cstraject.accounts.permissions import Action
from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.companies.models import Company
from cstraject.companies.services import company_update_master_data
from cstraject.web.forms import CompanySearchForm, MasterDataForm

from .common import action_required, apply_errors


@action_required(Action.COMPANY_CORRECT)
def company_search(request):
    form = CompanySearchForm(request.GET or None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            company = Company.objects.filter(enterprise_number=form.cleaned_data["enterprise_number"]).first()
            if company is not None:
                return redirect("web:company_master_data", pk=company.pk)
            form.add_error("enterprise_number", _("Geen onderneming met dit ondernemingsnummer."))
        status = 400
    return render(request, "web/company_search.html", {"form": form}, status=status)


@action_required(Action.COMPANY_CORRECT)
def company_master_data(request, pk):
    company = get_object_or_404(Company.objects.select_related("nace_code"), pk=pk)
    status = 200
    if request.method == "POST":
        form = MasterDataForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            before = AuditEvent.objects.filter(company=company).count()
            try:
                company_update_master_data(
                    actor=request.actor,
                    company=company,
                    reason=data["reason"],
                    name=data["name"],
                    legal_form=data["legal_form"],
                    nace_code=data["nace_code"],
                    postal_code=data["postal_code"],
                    municipality=data["municipality"],
                    public_participation_pct=data["public_participation_pct"],
                    is_social_enterprise=data["is_social_enterprise"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if AuditEvent.objects.filter(company=company).count() > before:
                    messages.success(request, _("Stamgegevens van %(name)s gecorrigeerd.") % {"name": company.name})
                else:
                    messages.info(request, _("Geen wijziging: de stamgegevens waren al zo."))
                return redirect("web:company_master_data", pk=company.pk)
        status = 400
    else:
        form = MasterDataForm(
            initial={
                "name": company.name,
                "legal_form": company.legal_form,
                "nace_code": company.nace_code.display_code,
                "postal_code": company.postal_code,
                "municipality": company.municipality,
                "public_participation_pct": f"{company.public_participation_pct}",
                "is_social_enterprise": company.is_social_enterprise,
            }
        )
    events = AuditEvent.objects.filter(company=company, action=AuditAction.MASTER_DATA).order_by("-occurred_at", "-id")
    return render(
        request,
        "web/company_master_data.html",
        {"company": company, "form": form, "events": list(events[:20])},
        status=status,
    )
