package gen

// Entity type names, as used in expected.json, in import order.
const (
	TypeClients      = "clients"
	TypePets         = "pets"
	TypeMedical      = "medical"
	TypeVaccines     = "vaccines"
	TypeAppointments = "appointments"
	TypeProducts     = "products"
	TypeInvoices     = "invoices"
	TypeInvoiceItems = "invoice_items"
	TypeDocuments    = "documents"
)

// TypeNames lists the entity types in import order.
var TypeNames = []string{
	TypeClients, TypePets, TypeMedical, TypeVaccines, TypeAppointments,
	TypeProducts, TypeInvoices, TypeInvoiceItems, TypeDocuments,
}

// TypeCounts is the outcome of every source row of one entity type.
// SourceRows = Imported + MergedDuplicates + Rejected + Orphaned + Skipped.
type TypeCounts struct {
	SourceRows       int `json:"source_rows"`
	Imported         int `json:"imported"`
	MergedDuplicates int `json:"merged_duplicates"`
	Rejected         int `json:"rejected"`
	Orphaned         int `json:"orphaned"`
	Skipped          int `json:"skipped"`
}

// Sum returns Imported + MergedDuplicates + Rejected + Orphaned + Skipped.
func (c TypeCounts) Sum() int {
	return c.Imported + c.MergedDuplicates + c.Rejected + c.Orphaned + c.Skipped
}

// Expected is the content of expected.json.
type Expected struct {
	Seed    uint64                `json:"seed"`
	Scale   float64               `json:"scale"`
	Variant string                `json:"variant"`
	Types   map[string]TypeCounts `json:"types"`
	// Defects counts the rows carrying each injected defect kind (see
	// DefectKinds). Each row carries at most one kind whose outcome is not
	// "imported"; kinds whose outcome is "imported" (warnings, infos, traps)
	// are only counted on rows that are imported.
	Defects         map[string]int `json:"defects"`
	DestinationRows map[string]int `json:"destination_rows"`
}

// TotalRows is the number of data rows written over all files.
func (e Expected) TotalRows() int {
	n := 0
	for _, c := range e.Types {
		n += c.SourceRows
	}
	return n
}

// Row outcomes, named like the TypeCounts JSON fields.
const (
	OutcomeImported = "imported"
	OutcomeMerged   = "merged_duplicates"
	OutcomeRejected = "rejected"
	OutcomeOrphaned = "orphaned"
)

// DefectKind describes one injected defect kind.
type DefectKind struct {
	Name    string // "<type>.<kind>", the key in Expected.Defects
	Type    string // entity type
	Outcome string // outcome of a row carrying it
	Issue   string // "error", "warning", "info" or "" (no issue expected, a trap the importer must not trip on)
	Doc     string // what was written
}

// defect kind indices, in the order of defectKinds.
const (
	dCliEmptyName = iota
	dCliNoContact
	dCliBadEmail
	dCliDupEmail
	dCliDupPhone
	dCliDupDocument
	dCliKeyOfRejected
	dCliNoEmail
	dCliPhoneUnicode
	dCliHTMLNotes

	dPetEmptyName
	dPetEmptyNameUnknownOwner
	dPetUnknownOwner
	dPetRejectedOwner
	dPetOwnerMerged
	dPetUnknownSpecies
	dPetBadBirthDate
	dPetFutureBirthDate
	dPetSciMicrochip
	dPetHTMLName
	dPetZeroWeight

	dMedBadDate
	dMedBadDateUnknownPet
	dMedUnknownPet
	dMedUnmappedPet
	dMedPlaceholderDiagnosis
	dMedHTMLText

	dVacEmptyName
	dVacBadDate
	dVacEmptyNameUnmappedPet
	dVacUnknownPet
	dVacUnmappedPet
	dVacNextBeforeApplied

	dAppUnknownPet
	dAppUnmappedPet
	dAppChainMismatch
	dAppUnknownStatus
	dAppClientMerged

	dProDupCode

	dInvUnknownClient
	dInvRejectedClient
	dInvClientMerged
	dInvTotalMismatch

	dItmUnknownInvoice
	dItmOrphanedInvoice
	dItmUnknownProduct

	dDocMissingFile
	dDocPathEscape
	dDocMissingFileUnmappedPet
	dDocUnknownPet
	dDocUnmappedPet

	numDefects
)

var defectKinds = [numDefects]DefectKind{
	dCliEmptyName:     {"clients.empty_name", TypeClients, OutcomeRejected, "error", "nombre empty or blank"},
	dCliNoContact:     {"clients.no_contact", TypeClients, OutcomeRejected, "error", "no telefono, no celular, no email"},
	dCliBadEmail:      {"clients.bad_email", TypeClients, OutcomeRejected, "error", "malformed email (juan.perez@@gmail, maria@hotmail, sin correo@x.com...)"},
	dCliDupEmail:      {"clients.dup_email", TypeClients, OutcomeMerged, "", "email of an earlier imported client, upper-case with spaces"},
	dCliDupPhone:      {"clients.dup_phone", TypeClients, OutcomeMerged, "", "phone of an earlier imported client in another format and maybe the other column"},
	dCliDupDocument:   {"clients.dup_document", TypeClients, OutcomeMerged, "", "document type+number of an earlier imported client, dots toggled"},
	dCliKeyOfRejected: {"clients.key_of_rejected", TypeClients, OutcomeImported, "", "mobile of an earlier REJECTED client: must not merge"},
	dCliNoEmail:       {"clients.no_email", TypeClients, OutcomeImported, "info", "no email, has a phone: placeholder email"},
	dCliPhoneUnicode:  {"clients.phone_unicode", TypeClients, OutcomeImported, "", "celular with a leading U+202A (excel-es: trailing NBSP) or NBSP separators"},
	dCliHTMLNotes:     {"clients.html_notes", TypeClients, OutcomeImported, "", "HTML markup in notas, kept as text"},

	dPetEmptyName:             {"pets.empty_name", TypePets, OutcomeRejected, "error", "nombre empty or blank"},
	dPetEmptyNameUnknownOwner: {"pets.empty_name_unknown_owner", TypePets, OutcomeRejected, "error", "nombre empty and owner unknown: rejected wins"},
	dPetUnknownOwner:          {"pets.unknown_owner", TypePets, OutcomeOrphaned, "error", "id_cliente not in clientes"},
	dPetRejectedOwner:         {"pets.rejected_owner", TypePets, OutcomeOrphaned, "error", "id_cliente of a rejected client"},
	dPetOwnerMerged:           {"pets.owner_merged", TypePets, OutcomeImported, "", "owner is a merged duplicate: attach to survivor"},
	dPetUnknownSpecies:        {"pets.unknown_species", TypePets, OutcomeImported, "warning", "especie like Dragón"},
	dPetBadBirthDate:          {"pets.bad_birth_date", TypePets, OutcomeImported, "warning", "unparseable fecha_nacimiento (31/02/2020...)"},
	dPetFutureBirthDate:       {"pets.future_birth_date", TypePets, OutcomeImported, "warning", "fecha_nacimiento after 2026-10-31"},
	dPetSciMicrochip:          {"pets.sci_microchip", TypePets, OutcomeImported, "warning", "microchip in scientific notation (9,85141E+14)"},
	dPetHTMLName:              {"pets.html_name", TypePets, OutcomeImported, "", "<script>alert(1)</script> as name, kept as text"},
	dPetZeroWeight:            {"pets.zero_weight", TypePets, OutcomeImported, "", "peso 0"},

	dMedBadDate:              {"medical.bad_date", TypeMedical, OutcomeRejected, "error", "unparseable fecha"},
	dMedBadDateUnknownPet:    {"medical.bad_date_unknown_pet", TypeMedical, OutcomeRejected, "error", "unparseable fecha and unknown pet: rejected wins"},
	dMedUnknownPet:           {"medical.unknown_pet", TypeMedical, OutcomeOrphaned, "error", "id_paciente not in mascotas"},
	dMedUnmappedPet:          {"medical.unmapped_pet", TypeMedical, OutcomeOrphaned, "error", "id_paciente of a rejected or orphaned pet (cascade)"},
	dMedPlaceholderDiagnosis: {"medical.placeholder_diagnosis", TypeMedical, OutcomeImported, "info", "diagnostico is \".\" or \"-\""},
	dMedHTMLText:             {"medical.html_text", TypeMedical, OutcomeImported, "", "HTML markup in descripcion or notas"},

	dVacEmptyName:            {"vaccines.empty_name", TypeVaccines, OutcomeRejected, "error", "vacuna empty or blank"},
	dVacBadDate:              {"vaccines.bad_date", TypeVaccines, OutcomeRejected, "error", "unparseable fecha_aplicacion"},
	dVacEmptyNameUnmappedPet: {"vaccines.empty_name_unmapped_pet", TypeVaccines, OutcomeRejected, "error", "vacuna empty and pet unmapped: rejected wins"},
	dVacUnknownPet:           {"vaccines.unknown_pet", TypeVaccines, OutcomeOrphaned, "error", "id_paciente not in mascotas"},
	dVacUnmappedPet:          {"vaccines.unmapped_pet", TypeVaccines, OutcomeOrphaned, "error", "id_paciente of a rejected or orphaned pet (cascade)"},
	dVacNextBeforeApplied:    {"vaccines.next_before_applied", TypeVaccines, OutcomeImported, "warning", "fecha_proxima before fecha_aplicacion"},

	dAppUnknownPet:    {"appointments.unknown_pet", TypeAppointments, OutcomeOrphaned, "error", "id_paciente not in mascotas"},
	dAppUnmappedPet:   {"appointments.unmapped_pet", TypeAppointments, OutcomeOrphaned, "error", "id_paciente of a rejected or orphaned pet (cascade)"},
	dAppChainMismatch: {"appointments.chain_mismatch", TypeAppointments, OutcomeImported, "warning", "id_cliente is not the pet's owner after merging"},
	dAppUnknownStatus: {"appointments.unknown_status", TypeAppointments, OutcomeImported, "warning", "estado outside programada/atendida/cancelada/no asistió"},
	dAppClientMerged:  {"appointments.client_merged", TypeAppointments, OutcomeImported, "", "id_cliente is the survivor while the pet's owner is its merged duplicate: no mismatch"},

	dProDupCode: {"products.dup_code", TypeProducts, OutcomeMerged, "", "codigo of an earlier product"},

	dInvUnknownClient:  {"invoices.unknown_client", TypeInvoices, OutcomeOrphaned, "error", "id_cliente not in clientes"},
	dInvRejectedClient: {"invoices.rejected_client", TypeInvoices, OutcomeOrphaned, "error", "id_cliente of a rejected client"},
	dInvClientMerged:   {"invoices.client_merged", TypeInvoices, OutcomeImported, "", "client is a merged duplicate: attach to survivor"},
	dInvTotalMismatch:  {"invoices.total_mismatch", TypeInvoices, OutcomeImported, "warning", "subtotal - descuento + impuesto != total"},

	dItmUnknownInvoice:  {"invoice_items.unknown_invoice", TypeInvoiceItems, OutcomeOrphaned, "error", "id_factura not in facturas"},
	dItmOrphanedInvoice: {"invoice_items.orphaned_invoice", TypeInvoiceItems, OutcomeOrphaned, "error", "id_factura of an orphaned invoice (cascade)"},
	dItmUnknownProduct:  {"invoice_items.unknown_product", TypeInvoiceItems, OutcomeImported, "info", "id_producto not in productos"},

	dDocMissingFile:            {"documents.missing_file", TypeDocuments, OutcomeRejected, "error", "archivo does not exist"},
	dDocPathEscape:             {"documents.path_escape", TypeDocuments, OutcomeRejected, "error", "archivo escapes the export folder (../etc/passwd, /etc/passwd)"},
	dDocMissingFileUnmappedPet: {"documents.missing_file_unmapped_pet", TypeDocuments, OutcomeRejected, "error", "missing file and unmapped pet: rejected wins"},
	dDocUnknownPet:             {"documents.unknown_pet", TypeDocuments, OutcomeOrphaned, "error", "id_paciente not in mascotas"},
	dDocUnmappedPet:            {"documents.unmapped_pet", TypeDocuments, OutcomeOrphaned, "error", "id_paciente of a rejected or orphaned pet (cascade)"},
}

// DefectKinds returns every defect kind the generator injects, grouped by
// type in import order.
func DefectKinds() []DefectKind {
	out := make([]DefectKind, len(defectKinds))
	copy(out, defectKinds[:])
	return out
}
