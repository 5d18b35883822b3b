UPDATE documents_document SET file = 'zz/no-existe' WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='document' AND source_id='D2');
