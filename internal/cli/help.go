package cli

import "github.com/petfriendly/recon/internal/i18n"

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
	add("help_db", "Administra la base de datos de destino.", "Manage the destination database.")
	add("help_db_start", "Inicia (o reutiliza) el clúster PostgreSQL local.", "Start (or reuse) the local PostgreSQL cluster.")
	add("help_db_stop", "Detiene el clúster PostgreSQL local.", "Stop the local PostgreSQL cluster.")
	add("help_db_status", "Indica si el clúster local está en marcha y la versión del esquema.", "Tell whether the local cluster runs and the schema version.")
	add("help_db_url", "Imprime la URL de conexión de la base de datos.", "Print the database connection URL.")
	add("help_db_migrate", "Aplica las migraciones del esquema (idempotente).", "Apply the schema migrations (idempotent).")

	add("help_gen", "Genera una exportación OkVet sintética de demostración.", "Generate a synthetic OkVet demo export.")
	add("help_gen_out", "Carpeta de salida.", "Output folder.")
	add("help_gen_scale", "Multiplicador de tamaño (1 ≈ 1.234 clientes).", "Size multiplier (1 ≈ 1,234 clients).")
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
	add("help_import_clients", "Importa propietarios (clientes).", "Import owners (clients).")
	add("help_import_pets", "Importa mascotas.", "Import pets.")
	add("help_import_records", "Importa historias clínicas.", "Import medical records.")
	add("help_import_vaccines", "Importa vacunas.", "Import vaccinations.")
	add("help_import_products", "Importa productos.", "Import products.")
	add("help_import_appointments", "Importa citas.", "Import appointments.")
	add("help_import_invoices", "Importa facturas.", "Import invoices.")
	add("help_import_invoice_items", "Importa ítems de factura.", "Import invoice items.")
	add("help_import_documents", "Importa documentos y fotos adjuntos.", "Import documents and photos.")
	add("help_import_file", "Archivo de exportación a importar.", "Export file to import.")
	add("help_import_dir", "Carpeta de la exportación.", "Export folder.")
	add("help_dry_run", "Valida todo sin escribir datos en el destino (el lote queda registrado como simulación).",
		"Validate everything without writing destination data (the batch is recorded as a dry run).")
	add("help_batch_size", "Filas por bloque COPY.", "Rows per COPY chunk.")
	add("help_orphans", "Registros huérfanos: flag (no se importan, se advierte) o placeholder (se asignan a un propietario desconocido).",
		"Orphaned rows: flag (not imported, warned) or placeholder (attached to an unknown owner).")
	add("help_media_dir", "Almacén de adjuntos (por defecto <home>/media).", "Attachment store (default <home>/media).")
	add("help_operator", "Nombre de quien ejecuta la migración.", "Name of the person running the migration.")
	add("help_verify", "Verifica la migración: conteos, campos, cadenas, muestra y adjuntos.",
		"Verify the migration: counts, fields, chains, spot check and attachments.")
	add("help_verify_source_dir", "Compara estos archivos en lugar de los registrados al importar.",
		"Compare these files instead of the ones recorded at import.")
	add("help_verify_sample", "Filas por tipo para la muestra aleatoria.", "Rows per type for the spot check.")
	add("help_verify_seed", "Semilla de la muestra (por defecto la fecha, AAAAMMDD).", "Sample seed (default: the date, YYYYMMDD).")
	add("help_verify_json", "Escribe el resultado en JSON (- para la salida estándar).", "Write the result as JSON (- for standard output).")
	add("help_verify_report", "Escribe el informe HTML.", "Write the HTML report.")
	add("help_verify_pdf", "Escribe el PDF de aprobación para firmar.", "Write the PDF approval to sign.")
	add("help_clinic", "Nombre de la clínica para los informes.", "Clinic name for the reports.")
	v["default_clinic"] = l.S("Clínica veterinaria", "Veterinary clinic")
	add("help_demo", "Ciclo completo de demostración: generar, importar, verificar, informar.", "Whole demo loop: generate, import, verify, report.")
	add("help_demo_out", "Carpeta de salida de la demostración.", "Demo output folder.")
	add("help_version", "Muestra la versión.", "Show the version.")
	return v
}
