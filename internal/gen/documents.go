package gen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// attachmentCap is how many distinct attachment files an export holds:
// 1,500 per scale unit up to scale 5. Beyond it, document rows share the
// files already written, so scale 50 stays around 15 MB of attachments.
func attachmentCap(scale float64) int { return scaled(baseRows[tiDocuments], min(scale, 5)) }

// documentos.csv and the files under adjuntos/.
func (g *Generator) genDocuments(ctx context.Context) error {
	tr, err := g.open(tblDocuments)
	if err != nil {
		return err
	}
	defer tr.close()
	n := g.rows[tiDocuments]
	limit := attachmentCap(g.opts.Scale)
	written := make([]string, 0, limit) // archivo of every file written so far
	const (
		kMissing = iota + 1
		kEscape
		kMissingUnmapped
		kUnknownPet
		kUnmappedPet
	)
	rates := []float64{0.015, 0.007, 0.002, 0.007, 0.007}
	for i := range n {
		if err := checkCtx(ctx, i); err != nil {
			return err
		}
		kind := g.pick(i, n, rates)
		pet := g.goodPet()
		pdf := g.chance(0.7)
		ext := ".jpg"
		if pdf {
			ext = ".pdf"
		}
		docID := g.id(tiDocuments, i)
		archivo := adjuntosDir + "/" + docID + ext
		write := true
		status := oImported
		switch kind {
		case kMissing:
			write, status = false, oRejected
			g.hit(dDocMissingFile)
		case kEscape:
			archivo, write, status = g.one(escapingPaths), false, oRejected
			g.hit(dDocPathEscape)
		case kMissingUnmapped:
			pet, write, status = g.unmappedPet(), false, oRejected
			g.hit(dDocMissingFileUnmappedPet)
		case kUnknownPet:
			pet, status = g.unknownPet(), oOrphaned
			g.hit(dDocUnknownPet)
		case kUnmappedPet:
			pet, status = g.unmappedPet(), oOrphaned
			g.hit(dDocUnmappedPet)
		}
		if write {
			if len(written) < limit {
				if err := g.writeAttachment(archivo, docID, pdf); err != nil {
					return err
				}
				written = append(written, archivo)
			} else {
				archivo = written[g.intn(len(written))] // shared file, exists
			}
		}
		g.count(tiDocuments, status)
		err := tr.emit(
			txt(docID), txt(pet.id), txt(g.ownerID(pet)), txt(archivo), txt(g.one(documentTypes)),
			txt(g.one(documentDescs)), g.dateVal(ymd(2016, 1, 1), RefDate),
		)
		if err != nil {
			return err
		}
	}
	return tr.commit()
}

func (g *Generator) writeAttachment(archivo, docID string, pdf bool) error {
	path := filepath.Join(g.opts.Out, filepath.FromSlash(archivo))
	if err := os.WriteFile(path, g.attachment(docID, pdf), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
