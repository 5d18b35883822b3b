package cli

import (
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// helpVars holds every help text in the chosen language; struct tags refer
// to them as ${name}.
func helpVars(l i18n.Lang) map[string]string {
	v := map[string]string{}
	add := func(key, es, en string) { v[key] = l.S(es, en) }

	add("help_database_url", "URL de PostgreSQL de destino (también PG*). Sin ella se usa el clúster local privado.",
		"Destination PostgreSQL URL (PG* variables work too). Without it the private local cluster is used.")
	add("help_home", "Carpeta de trabajo de recon: clúster local, medios, registros.",
		"recon's working folder: local cluster, media store, logs.")
	add("help_lang", "Idioma de mensajes e informes (es, en).", "Language of messages and reports (es, en).")
	add("help_quiet", "Solo errores.", "Errors only.")
	add("help_no_progress", "Sin barra de progreso.", "No progress bar.")

	add("help_pg_bin", "Carpeta con initdb/pg_ctl/postgres (por defecto /usr/lib/postgresql/*/bin o PATH).",
		"Folder holding initdb/pg_ctl/postgres (default /usr/lib/postgresql/*/bin or PATH).")
	add("help_font_dir", "Carpeta con las fuentes TrueType del PDF (DejaVu Sans, Liberation Sans...); sin ella se buscan en las carpetas habituales y, si no hay, se usa Helvetica.",
		"Folder holding the PDF's TrueType fonts (DejaVu Sans, Liberation Sans...); without it they are looked for in the usual folders, and Helvetica is used when there are none.")
	add("help_db_set", "Guarda ajustes una vez por base de datos (clinic=\"Nombre de la clínica\"); sin argumentos los lista.",
		"Store settings once per database (clinic=\"Clinic name\"); without arguments list them.")
	add("help_db_set_pairs", "CLAVE=VALOR; un valor vacío borra el ajuste.", "KEY=VALUE; an empty value clears the setting.")
	add("help_tz", "Zona horaria de la clínica en que se muestran todas las horas (nombre IANA, p. ej. America/Bogota, UTC).",
		"The clinic's time zone every time is shown in (IANA name, e.g. America/Bogota, UTC).")
	add("help_db", "Administra la base de datos de destino.", "Manage the destination database.")
	add("help_db_start", "Inicia (o reutiliza) el clúster PostgreSQL local.", "Start (or reuse) the local PostgreSQL cluster.")
	add("help_db_stop", "Detiene el clúster PostgreSQL local.", "Stop the local PostgreSQL cluster.")
	add("help_db_status", "Indica si el clúster local está en marcha, dónde está y la versión del esquema.",
		"Tell whether the local cluster runs, where it is and the schema version.")
	add("help_db_url", "Imprime la URL de conexión de la base de datos.", "Print the database connection URL.")
	add("help_db_migrate", "Aplica las migraciones del esquema (idempotente); en la base de datos de Pet-Friendly (Django) solo comprueba.",
		"Apply the schema migrations (idempotent); on Pet-Friendly's (Django) database it only checks.")
	add("help_db_check", "Compara el esquema con el contrato de Pet-Friendly y lista tablas o columnas que faltan (salida 2).",
		"Compare the schema with Pet-Friendly's contract and list missing tables or columns (exit 2).")

	add("help_gen", "Genera una exportación OkVet sintética de demostración.", "Generate a synthetic OkVet demo export.")
	add("help_gen_out", "Carpeta de salida.", "Output folder.")
	add("help_demo_database", "Base de datos que el demo borra y vuelve a crear en cada ensayo.", "Database the demo drops and creates again for each rehearsal.")
	add("help_gen_scale", "Multiplicador de tamaño, de 0,04 a 1000 (1 ≈ 1.234 clientes; 0,04 ≈ 49).", "Size multiplier, 0.04 to 1000 (1 ≈ 1,234 clients; 0.04 ≈ 49).")
	add("help_gen_seed", "Semilla: la misma semilla produce los mismos archivos.", "Seed: the same seed writes the same files.")
	add("help_gen_variant", "Formato: utf8, excel-es (Excel en español) o xlsx.", "Format: utf8, excel-es (Spanish Excel) or xlsx.")

	add("help_inspect", "Describe archivos de exportación: tipo, formato, columnas y muestras.", "Describe export files: type, format, columns and samples.")
	add("help_inspect_paths", "Archivos o carpetas a inspeccionar.", "Files or folders to inspect.")
	add("help_inspect_json", "Salida en JSON.", "JSON output.")
	add("help_inspect_sample", "Filas de muestra por archivo.", "Sample rows per file.")
	add("help_profile", "Fuerza el perfil: seed, okvet-mascotas, okvet-dump.", "Force the profile: seed, okvet-mascotas, okvet-dump.")
	add("help_mapping", "Archivo TOML de mapeo de columnas y vocabulario.", "TOML file mapping columns and vocabulary.")

	add("help_import", "Importa exportaciones de OkVet (un lote por archivo).", "Import OkVet exports (one batch per file).")
	add("help_import_all", "Importa todos los archivos reconocidos de una carpeta, en orden de dependencias.",
		"Import every recognised file of a folder, in dependency order.")
	add("help_import_type", "Importa un archivo del tipo indicado: "+strings.Join(importCommands(), ", ")+".",
		"Import one file of the type given: "+strings.Join(importCommands(), ", ")+".")
	add("help_import_file", "Archivo de exportación a importar.", "Export file to import.")
	add("help_import_dir", "Carpeta de la exportación.", "Export folder.")
	add("help_dry_run", "Valida todo sin escribir datos en el destino (el lote queda registrado como simulación).",
		"Validate everything without writing destination data (the batch is recorded as a dry run).")
	add("help_jobs", "Archivos de tipos independientes que se cargan a la vez, cada uno en su conexión (1: uno tras otro).",
		"Files of independent types loaded at once, each on its own connection (1: one after the other).")
	add("help_batch_size", "Filas por bloque COPY.", "Rows per COPY chunk.")
	add("help_max_columns", "Máximo de columnas en el encabezado de un CSV (16384).", "Most columns a CSV header may have (16384).")
	add("help_max_cell_bytes", "Tamaño máximo, en bytes, de una celda de un CSV (1048576).", "Largest size, in bytes, of one CSV cell (1048576).")
	add("help_max_line_bytes", "Tamaño máximo, en bytes, de una línea (y de una fila) de un CSV (4194304).", "Largest size, in bytes, of one CSV line (and row) (4194304).")
	add("help_max_xlsx_mb", "Tamaño máximo, en MB, al que puede descomprimirse un libro .xlsx.", "Largest size, in MB, an .xlsx workbook may unpack to.")
	add("help_orphans", "Registros huérfanos: flag (no se importan, se advierte) o placeholder (se asignan a un propietario desconocido).",
		"Orphaned rows: flag (not imported, warned) or placeholder (attached to an unknown owner).")
	add("help_media_dir", "Almacén de adjuntos (por defecto <home>/media).", "Attachment store (default <home>/media).")
	add("help_operator", "Nombre de quien ejecuta la migración.", "Name of the person running the migration.")
	add("help_verify_operator", "Quien firma esta verificación en los informes (por defecto el --operator de la última importación).",
		"Who this verification names in the reports (default: the latest import's --operator).")
	add("help_verify", "Verifica la migración: conteos, campos, cadenas, muestra y adjuntos.",
		"Verify the migration: counts, fields, chains, spot check and attachments.")
	add("help_verify_source_dir", "Compara estos archivos en lugar de los registrados al importar.",
		"Compare these files instead of the ones recorded at import.")
	add("help_verify_allow_new_rows", "Acepta filas creadas en Pet-Friendly después de la importación (periodo de funcionamiento en paralelo); se listan igual.",
		"Accept rows created in Pet-Friendly after the import (parallel-run period); they are still listed.")
	add("help_verify_jobs", "Tipos que se verifican a la vez (0: uno por núcleo); el resultado es el mismo.",
		"Types verified at once (0: one per core); the result is the same.")
	add("help_verify_wait", "Espera a que termine una importación o reversión en curso en lugar de fallar.",
		"Wait for a running import or rollback to finish instead of failing.")
	add("help_verify_sample", "Filas por tipo para la muestra aleatoria.", "Rows per type for the spot check.")
	add("help_verify_seed", "Semilla de la muestra (por defecto la fecha, AAAAMMDD).", "Sample seed (default: the date, YYYYMMDD).")
	add("help_verify_json", "Escribe el resultado en JSON (- para la salida estándar).", "Write the result as JSON (- for standard output).")
	add("help_verify_report", "Escribe el informe HTML.", "Write the HTML report.")
	add("help_verify_pdf", "Escribe el PDF de aprobación para firmar.", "Write the PDF approval to sign.")
	add("help_clinic", "Nombre de la clínica para este informe (por defecto el guardado con «recon db set clinic=…»).",
		"Clinic name for this report (default: the one stored with \"recon db set clinic=…\").")
	v["default_clinic"] = l.S("Clínica veterinaria", "Veterinary clinic")
	add("help_wait", "Si otra importación o reversión está en curso, espera a que termine en lugar de fallar.",
		"If another import or rollback is running, wait for it to finish instead of failing.")
	add("help_rollback", "Revierte un lote: elimina las filas que creó y restaura las que actualizó.",
		"Roll back a batch: remove the rows it created and restore the rows it updated.")
	add("help_rollback_batch_id", "Número del lote a revertir.", "Number of the batch to roll back.")
	add("help_rollback_cascade", "Revierte primero, del más reciente al más antiguo, los lotes posteriores que dependen de este.",
		"First roll back, newest first, the later batches that depend on this one.")
	add("help_rollback_dry_run", "Muestra lo que se revertiría sin cambiar nada.", "Show what would be rolled back without changing anything.")
	add("help_report", "Genera el informe HTML, la aprobación PDF o el JSON de una verificación guardada.",
		"Render the HTML report, PDF approval or JSON of a stored verification run.")
	add("help_report_run", "Número de la verificación guardada (por defecto, la última).", "Stored verification run number (default: the latest).")
	add("help_report_html", "Escribe el informe HTML autónomo en este archivo.", "Write the self-contained HTML report to this file.")
	add("help_report_pdf", "Escribe la aprobación PDF para firmar en este archivo.", "Write the PDF approval to sign to this file.")
	add("help_report_json", "Escribe el resultado en JSON en este archivo (- para la salida estándar).",
		"Write the result as JSON to this file (- for standard output).")
	add("help_compare", "Compara ensayos de migración: conteos, problemas abiertos y resueltos, filas que cambiaron.",
		"Compare migration rehearsals: counts, issues opened and resolved, rows that changed.")
	add("help_compare_runs", "Verificaciones a comparar: número guardado o archivo JSON de verify (por defecto, todas las guardadas).",
		"Runs to compare: a stored run number or a verify JSON file (default: every stored run).")
	add("help_compare_output", "Archivo HTML de la comparación.", "HTML file of the comparison.")
	add("help_compare_json", "Escribe también la comparación en JSON (- para la salida estándar).",
		"Also write the comparison as JSON (- for standard output).")
	add("help_signoff", "Aprobación digital: comprueba, registra o firma el PDF de aprobación.",
		"Digital sign-off: check, record or sign the approval PDF.")
	add("help_signoff_check", "Comprueba la firma del PDF de aprobación y si los datos cambiaron desde entonces (0 válida y sin cambios; 1 sin firmar, no válida o datos cambiados; 2 no se pudo comprobar).",
		"Check the approval PDF's signature and whether the data changed since (0 valid and unchanged; 1 unsigned, invalid or data changed; 2 could not check).")
	add("help_signoff_record", "Guarda el PDF de aprobación firmado (válido) en el almacén de la carpeta de trabajo y lo registra; verify y el informe HTML muestran la última aprobación.",
		"Store the (valid) signed approval PDF in the working folder's store and record it; verify and the HTML report show the latest sign-off.")
	add("help_signoff_sign", "Firma el campo de firma del PDF de aprobación con un certificado .p12.",
		"Sign the approval PDF's signature field with a .p12 certificate.")
	add("help_signoff_sign_file", "PDF de aprobación sin firmar (recon verify --pdf).", "Unsigned approval PDF (recon verify --pdf).")
	add("help_signoff_p12", "Certificado y clave en formato PKCS#12 (.p12/.pfx).", "Certificate and key in PKCS#12 format (.p12/.pfx).")
	add("help_signoff_password_env", "Variable de entorno con la contraseña del .p12 (nunca en la línea de órdenes).",
		"Environment variable holding the .p12 password (never on the command line).")
	add("help_signoff_out", "PDF firmado a escribir.", "Signed PDF to write.")
	add("help_signoff_reason", "Motivo de la firma.", "Reason for signing.")
	add("help_signoff_location", "Lugar de la firma.", "Where it is signed.")
	add("help_signoff_file", "PDF de aprobación firmado.", "Signed approval PDF.")
	add("help_signoff_ca", "Certificados PEM de la autoridad de certificación: exige que el firmante provenga de ella.",
		"PEM certificates of the certification authority: require the signer's certificate to come from it.")
	add("help_demo", "Ciclo completo de demostración: generar, importar, verificar, informar.", "Whole demo loop: generate, import, verify, report.")
	add("help_demo_out", "Carpeta de salida de la demostración.", "Demo output folder.")
	add("help_version", "Muestra la versión.", "Show the version.")

	// Manual review and corrections.
	add("help_list_json", "Salida en JSON.", "JSON output.")
	add("help_list_csv", "Salida en CSV, con encabezados fijos en inglés (snake_case) en cualquier idioma.",
		"CSV output, with fixed English (snake_case) headers in any language.")
	add("help_by", "Quién hace el cambio (por defecto el usuario del sistema).", "Who makes the change (default: the system user).")
	add("help_yes", "No pide confirmación.", "Do not ask for confirmation.")
	add("help_batches", "Lista los lotes de importación: tipo, archivo, estado, conteos, horas y operador.",
		"List the import batches: type, file, status, counts, times and operator.")
	add("help_issues", "Revisa y resuelve los problemas de calidad de datos.", "Review and resolve data-quality issues.")
	add("help_issues_list", "Lista problemas de calidad (sin --batch, los de lotes completados y reales, como verify).",
		"List quality issues (without --batch, those of completed, real batches, as verify counts them).")
	add("help_issues_show", "Muestra un problema con su fila de origen tal como se leyó y su fila de destino.",
		"Show an issue with its source row as read and its destination row.")
	add("help_issues_resolve", "Marca como resuelto un problema, o todos los abiertos que elija un filtro (pide confirmación).",
		"Mark an issue resolved, or every open one a filter selects (asks for confirmation).")
	add("help_issues_id", "Número del problema.", "Issue number.")
	add("help_issues_severity", "Gravedad: crítico, advertencia o informativo (o critical, warning, info).", "Severity: critical, warning or info (or crítico, advertencia, informativo).")
	add("help_issues_type", "Tipo de problema, p. ej. unknown_species.", "Issue type, e.g. unknown_species.")
	add("help_issues_source_type", "Tipo de registro: client, pet, record, vaccine...", "Record type: client, pet, record, vaccine...")
	add("help_issues_source_id", "Id del registro en OkVet.", "The record's OkVet id.")
	add("help_issues_batch", "Número de lote.", "Batch number.")
	add("help_issues_unresolved", "Solo los no resueltos.", "Unresolved only.")
	add("help_issues_limit", "Máximo de problemas listados (0: todos).", "Most issues listed (0: all).")
	add("help_issues_resolution", "Qué se revisó o decidió.", "What was checked or decided.")
	add("help_correct", "Corrige a mano campos del destino, con auditoría (quién, cuándo, antes, después, motivo).",
		"Correct destination fields by hand, audited (who, when, before, after, reason).")
	var sourceTypes []string
	for _, t := range source.Types() {
		sourceTypes = append(sourceTypes, t.SourceType)
	}
	add("help_correct_type", "Tipo de registro: "+strings.Join(sourceTypes, ", ")+".", "Record type: "+strings.Join(sourceTypes, ", ")+".")
	add("help_correct_source_id", "Id del registro en OkVet, p. ej. P123.", "The record's OkVet id, e.g. P123.")
	add("help_correct_set", "campo=valor; el campo como en OkVet (nombre) o la columna de destino (name); se puede repetir.",
		"field=value; the field as in OkVet (nombre) or the destination column (name); repeatable.")
	add("help_correct_reason", "Motivo de la corrección.", "Reason for the correction.")
	add("help_correct_issue", "Problema de calidad que motiva la corrección.", "Quality issue that prompted the correction.")
	add("help_show", "Muestra un registro con toda su cadena (propietario → mascota → historias, vacunas, citas, facturas, documentos), origen y destino lado a lado.",
		"Show a record with its whole chain (owner → pet → records, vaccinations, appointments, invoices, documents), source and destination side by side.")
	add("help_show_type", "Tipo de registro: client, pet, record...", "Record type: client, pet, record...")
	add("help_show_source_id", "Id del registro en OkVet.", "The record's OkVet id.")
	add("help_show_find", "Busca propietarios o mascotas por nombre, documento, correo, teléfono o microchip.",
		"Find owners or pets by name, document, e-mail, phone or microchip.")
	add("help_review", "Abre una página local para revisar problemas, comparar origen y destino, resolver y corregir.",
		"Open a local page to review issues, compare source and destination, resolve and correct.")
	add("help_review_addr", "Dirección de escucha (solo de este equipo salvo --allow-remote).", "Listen address (this machine only unless --allow-remote).")
	add("help_review_allow_remote", "Permite escuchar en direcciones accesibles desde otros equipos; cada equipo entra con la clave que recon muestra al iniciar.", "Allow listening on addresses other machines can reach; each one enters with the key recon prints when it starts.")
	add("help_review_host", "Nombre con el que los otros equipos abren la página (además de las direcciones de escucha), con --allow-remote.", "A name other machines open the page by (besides the listen addresses), with --allow-remote.")
	return v
}
