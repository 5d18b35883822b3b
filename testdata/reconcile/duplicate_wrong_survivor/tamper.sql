UPDATE migration_externalidmapping SET target_id = (SELECT target_id FROM migration_externalidmapping WHERE source_type='client' AND source_id='C2') WHERE source_type='client' AND source_id='C4';
