"""The provider portal: dashboard and the new-application wizard.

Step 1 identifies the company: looked up by its exact enterprise number, or,
when the number is new, typed in and created with `company_register` (which
never changes a known company: its master data belong to the agency). The
chosen company is kept in the session, never taken from the URL, so no
provider can show another company's card by guessing an id. Step 2 chooses
packages from the provider's catalogue and creates or updates the draft;
step 3 uploads the signed quote and declarations and records the
declarations on honour; step 4 submits. Every step is saved when it is posted; a form made on an older
state of the draft is refused.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cstraject.accounts.permissions import Action
from cstraject.companies.models import Company
from cstraject.companies.services import company_register
from cstraject.dossiers import services as dossier_services
from cstraject.dossiers.models import DocumentKind, DossierStatus, QuoteLine
from cstraject.providers.models import ServiceProvider
from cstraject.web import selectors
from cstraject.web import services as web_services
from cstraject.web.forms import CompanyForm, DocumentsForm, EnterpriseNumberForm, PackagesForm, SubmitForm

from .common import action_required, apply_errors, atomic_with_fresh, version_of

# Session key of the company chosen in step 1 (by its exact enterprise number, or just created).
WIZARD_COMPANY = "wizard_company"


def _steps(current: str):
    labels = [
        ("company", _("Onderneming")),
        ("packages", _("Pakketten")),
        ("documents", _("Documenten en verklaringen")),
        ("submit", _("Indienen")),
    ]
    names = [name for name, _label in labels]
    return [
        {
            "name": name,
            "label": label,
            "number": i + 1,
            "current": name == current,
            "done": names.index(name) < names.index(current),
        }
        for i, (name, label) in enumerate(labels)
    ]


@action_required(Action.PROVIDER_PORTAL)
def dashboard(request):
    groups = selectors.dossiers_by_status(actor=request.actor)
    provider = ServiceProvider.objects.get(pk=request.actor.provider_id)
    return render(
        request, "web/provider_dashboard.html", {"groups": groups, "provider": provider, "call": selectors.open_call()}
    )


# ------------------------------------------------------------------ step 1: company


@action_required(Action.PROVIDER_PORTAL)
def new_application(request):
    call = selectors.open_call()
    if call is None:
        messages.error(request, _("Er is op dit moment geen open oproep."))
        return redirect("web:provider_dashboard")
    context = {"call": call, "steps": _steps("company")}
    if request.method == "POST" and "name" in request.POST:
        form = EnterpriseNumberForm(initial={"enterprise_number": request.POST.get("enterprise_number", "")})
        company_form = CompanyForm(request.POST)
        if company_form.is_valid():
            data = company_form.cleaned_data
            try:
                company = company_register(
                    actor=request.actor,
                    enterprise_number=data["enterprise_number"],
                    name=data["name"],
                    legal_form=data["legal_form"],
                    nace_code=data["nace_code"],
                    postal_code=data["postal_code"],
                    municipality=data["municipality"],
                )
            except ValidationError as error:
                apply_errors(company_form, error)
            else:
                messages.success(request, _("Onderneming %(name)s opgeslagen.") % {"name": company.name})
                request.session[WIZARD_COMPANY] = company.pk
                return redirect("web:provider_new_packages")
        return render(
            request, "web/wizard_company.html", {**context, "form": form, "company_form": company_form}, status=400
        )
    if request.method == "POST":
        form = EnterpriseNumberForm(request.POST)
        if form.is_valid():
            number = form.cleaned_data["enterprise_number"]
            company = Company.objects.select_related("nace_code").filter(enterprise_number=number).first()
            if company is not None:
                request.session[WIZARD_COMPANY] = company.pk
                return render(request, "web/wizard_company.html", {**context, "form": form, "company": company})
            company_form = CompanyForm(initial={"enterprise_number": number})
            return render(
                request,
                "web/wizard_company.html",
                {**context, "form": form, "company_form": company_form, "unknown": number},
            )
        return render(request, "web/wizard_company.html", {**context, "form": form}, status=400)
    return render(request, "web/wizard_company.html", {**context, "form": EnterpriseNumberForm()})


# ------------------------------------------------------------------ step 2: packages


def _packages_context(request, call, company, form, dossier=None):
    return {
        "call": call,
        "company": company,
        "form": form,
        "dossier": dossier,
        "steps": _steps("packages"),
        "catalogue_rows": [
            (package, form[f"amount_{package.code}"], form[f"man_days_{package.code}"]) for package in form.catalogue
        ],
        "rate_base": "incl" if call.rate_on_vat_inclusive else "excl",
    }


@action_required(Action.PROVIDER_PORTAL)
def new_packages(request):
    """Step 2 for a new application: the draft is created when this step is saved."""
    call = selectors.open_call()
    if call is None:
        messages.error(request, _("Er is op dit moment geen open oproep."))
        return redirect("web:provider_dashboard")
    # The company chosen in step 1 of this session; a `?company=` in the URL is never read.
    company = Company.objects.select_related("nace_code").filter(pk=request.session.get(WIZARD_COMPANY) or 0).first()
    if company is None:
        messages.info(request, _("Kies eerst de onderneming met haar ondernemingsnummer."))
        return redirect("web:provider_new")
    catalogue = selectors.provider_catalogue(actor=request.actor, call=call)
    if request.method == "POST":
        form = PackagesForm(request.POST, catalogue=catalogue)
        if form.is_valid():
            try:
                dossier = dossier_services.dossier_create_draft(
                    actor=request.actor,
                    call=call,
                    provider=ServiceProvider.objects.get(pk=request.actor.provider_id),
                    company=company,
                    quote_lines=form.cleaned_data["quote_lines"],
                )
            except ValidationError as error:
                apply_errors(form, error, aliases={"quote_lines": "packages", "package": "packages"})
            else:
                request.session.pop(WIZARD_COMPANY, None)  # the next application starts at step 1 again
                messages.success(request, _("Ontwerp %(ref)s opgeslagen.") % {"ref": dossier.reference})
                return redirect("web:provider_documents", pk=dossier.pk)
        return render(request, "web/wizard_packages.html", _packages_context(request, call, company, form), status=400)
    form = PackagesForm(catalogue=catalogue)
    return render(request, "web/wizard_packages.html", _packages_context(request, call, company, form))


def _draft(request, pk):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)
    if dossier.status != DossierStatus.DRAFT:
        messages.info(
            request,
            _("Dossier %(ref)s is al ingediend; het kan niet meer gewijzigd worden.") % {"ref": dossier.reference},
        )
        return dossier, redirect("web:dossier_detail", pk=dossier.pk)
    return dossier, None


@action_required(Action.PROVIDER_PORTAL)
def draft_packages(request, pk):
    dossier, gone = _draft(request, pk)
    if gone:
        return gone
    catalogue = selectors.provider_catalogue(actor=request.actor, call=dossier.call)
    if request.method == "POST":
        form = PackagesForm(request.POST, catalogue=catalogue)
        if form.is_valid():
            try:
                with atomic_with_fresh(dossier, form.cleaned_data["version"]):
                    dossier_services.dossier_update_draft(
                        actor=request.actor, dossier=dossier, quote_lines=form.cleaned_data["quote_lines"]
                    )
            except ValidationError as error:
                apply_errors(form, error, aliases={"quote_lines": "packages", "package": "packages", "status": None})
            else:
                messages.success(request, _("Pakketten van %(ref)s opgeslagen.") % {"ref": dossier.reference})
                return redirect("web:provider_documents", pk=dossier.pk)
        return render(
            request,
            "web/wizard_packages.html",
            _packages_context(request, dossier.call, dossier.company, form, dossier),
            status=400,
        )
    lines = {line.package.code: line for line in QuoteLine.objects.filter(dossier=dossier).select_related("package")}
    initial = {"version": version_of(dossier), "packages": list(lines)}
    for code, line in lines.items():
        initial[f"amount_{code}"] = f"{line.amount_excl_vat}"
        initial[f"man_days_{code}"] = f"{line.man_days}"
    form = PackagesForm(initial=initial, catalogue=catalogue)
    return render(
        request, "web/wizard_packages.html", _packages_context(request, dossier.call, dossier.company, form, dossier)
    )


# ------------------------------------------------------------------ step 3: documents and declarations


@action_required(Action.PROVIDER_PORTAL)
def draft_documents(request, pk):
    dossier, gone = _draft(request, pk)
    if gone:
        return gone
    latest = web_services.latest_documents(dossier)
    have = {"have_quote": DocumentKind.QUOTE in latest, "have_declarations": DocumentKind.DECLARATIONS in latest}
    if request.method == "POST":
        form = DocumentsForm(request.POST, request.FILES, too_large=getattr(request, "uploads_too_large", None), **have)
        if form.is_valid():
            data = form.cleaned_data
            checked = {}
            for field, kind in (("quote_file", DocumentKind.QUOTE), ("declarations_file", DocumentKind.DECLARATIONS)):
                if data.get(field):
                    try:
                        checked[kind] = web_services.pdf_check(data[field], field=field)
                    except ValidationError as error:
                        apply_errors(form, error)
            if not form.errors:
                stored = []
                try:
                    with atomic_with_fresh(dossier, data["version"]):
                        for kind, pdf in checked.items():
                            document = web_services.document_attach(
                                actor=request.actor, dossier=dossier, kind=kind, pdf=pdf
                            )
                            stored.append(document.file)
                        dossier_services.dossier_update_draft(
                            actor=request.actor, dossier=dossier, declarations=data["declarations"]
                        )
                except ValidationError as error:
                    # The rows were rolled back: remove the files written for them too.
                    for stored_file in stored:
                        stored_file.storage.delete(stored_file.name)
                    apply_errors(form, error, aliases={"status": None})
                else:
                    messages.success(
                        request, _("Documenten en verklaringen van %(ref)s opgeslagen.") % {"ref": dossier.reference}
                    )
                    return redirect("web:provider_submit", pk=dossier.pk)
        status = 400
    else:
        initial = {"version": version_of(dossier)}
        initial.update({f"declaration_{k}": v for k, v in dossier.declarations.items()})
        form = DocumentsForm(initial=initial, **have)
        status = 200
    return render(
        request,
        "web/wizard_documents.html",
        {"dossier": dossier, "form": form, "latest": latest, "steps": _steps("documents")},
        status=status,
    )


# ------------------------------------------------------------------ step 4: submit


@action_required(Action.PROVIDER_PORTAL)
def draft_submit(request, pk):
    dossier, gone = _draft(request, pk)
    if gone:
        return gone
    latest = web_services.latest_documents(dossier)
    missing = []
    if DocumentKind.QUOTE not in latest:
        missing.append(_("de ondertekende offerte"))
    if DocumentKind.DECLARATIONS not in latest:
        missing.append(_("de ondertekende verklaringen op eer"))
    from cstraject.dossiers.declarations import declarations_missing

    if declarations_missing(dossier.declarations):
        missing.append(_("alle verklaringen op eer"))
    status = 200
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if missing:
            form.add_error(None, _("Vervolledig eerst: %(items)s.") % {"items": ", ".join(missing)})
        if form.is_valid():
            try:
                with atomic_with_fresh(dossier, form.cleaned_data["version"]):
                    dossier_services.dossier_submit(actor=request.actor, dossier=dossier)
            except ValidationError as error:
                apply_errors(form, error, aliases={"status": None, "on_date": None})
            else:
                messages.success(request, _("Aanvraag %(ref)s ingediend bij VLAIO.") % {"ref": dossier.reference})
                return redirect("web:dossier_detail", pk=dossier.pk)
        status = 400
    else:
        form = SubmitForm(initial={"version": version_of(dossier)})
    return render(
        request,
        "web/wizard_submit.html",
        {
            "dossier": dossier,
            "form": form,
            "latest": latest,
            "missing": missing,
            "steps": _steps("submit"),
            "quote_lines": list(QuoteLine.objects.filter(dossier=dossier).select_related("package")),
        },
        status=status,
    )
