import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyCreationException;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.OWLRuntimeException;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Loads an ontology with the OWL API and checks it against the OWL 2 DL profile. Anything the
 * RDF parser could not turn into axioms (unparsed triples, guessed declarations, error entities)
 * counts as a failure, as does every OWL 2 DL profile violation.
 *
 * <p>Usage: {@code ProfileCheck ONTOLOGY [CATALOG]} where CATALOG is a Protégé
 * catalog-v001.xml (or a folder holding one) mapping import IRIs to local files. Imports are
 * never fetched from the network: an import the catalog does not map is a load error.
 *
 * <p>Exit code: 0 clean; 1 parse problems (unparsed triples, ...) or OWL 2 DL violations;
 * 2 load error (syntax error, missing import); 64 usage. {@code -Dowlapi.strict=true} turns on
 * the OWL API's strict parser (see the comment in main for why it is off).
 */
public final class ProfileCheck {
    public static void main(String[] args) throws Exception {
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ProfileCheck ONTOLOGY [CATALOG_XML_OR_FOLDER]");
            System.exit(64);
        }
        File file = new File(args[0]);
        Map<IRI, IRI> catalog = args.length == 2 ? readCatalog(new File(args[1])) : Map.of();

        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        // The only IRI mapper: catalog entries, else a file that does not exist (never the web).
        manager.getIRIMappers().set(iri -> catalog.getOrDefault(iri, IRI.create(
                "file:/nonexistent/no-catalog-entry-for/"
                        + URLEncoder.encode(iri.toString(), StandardCharsets.UTF_8))));
        // Strict parsing is off by default: in OWL API 5.1.20 it drops valid axioms such as
        // SubClassOf(A ObjectSomeValuesFrom(p B)) as unparsed triples. The lax parser's output is
        // checked instead, below. Illegal punnings are reported, not repaired.
        OWLOntologyLoaderConfiguration config = manager.getOntologyLoaderConfiguration()
                .setStrict(Boolean.getBoolean("owlapi.strict"))
                .setRepairIllegalPunnings(false)
                .setReportStackTraces(false)
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION);

        OWLOntology ontology;
        try {
            FileDocumentSource source = file.getName().endsWith(".ttl")
                    ? new FileDocumentSource(file, new TurtleDocumentFormat())
                    : new FileDocumentSource(file);
            ontology = manager.loadOntologyFromOntologyDocument(source, config);
        } catch (OWLOntologyCreationException | OWLRuntimeException e) { // e.g. UnloadableImportException
            System.out.println("LOAD ERROR: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.out.println("SUMMARY: FAILED: could not load " + file);
            System.exit(2);
            return;
        }

        List<String> problems = new ArrayList<>();
        manager.ontologies().forEach(o -> manager.getOntologyFormat(o).getOntologyLoaderMetaData()
                .ifPresent(meta -> {
                    meta.getUnparsedTriples().forEach(t -> problems.add("unparsed triple " + t));
                    meta.getGuessedDeclarations().forEach((iri, type) -> problems.add(
                            "guessed declaration of " + iri + " as " + type.getSimpleName()));
                }));
        // Class expressions the RDF parser could not build become http://org.semanticweb.owlapi/error#ErrorN.
        ontology.signature(Imports.INCLUDED)
                .filter(e -> e.getIRI().getNamespace().startsWith("http://org.semanticweb.owlapi/error#"))
                .forEach(e -> problems.add("malformed input: parser produced " + e));
        List<OWLProfileViolation> violations = new OWL2DLProfile().checkOntology(ontology).getViolations();

        System.out.println("ontology: " + ontology.getOntologyID() + " from " + file);
        System.out.println("format: " + manager.getOntologyFormat(ontology));
        System.out.println("classes: " + ontology.classesInSignature(Imports.INCLUDED).count());
        System.out.println("object properties: " + ontology.objectPropertiesInSignature(Imports.INCLUDED).count());
        System.out.println("data properties: " + ontology.dataPropertiesInSignature(Imports.INCLUDED).count());
        System.out.println("annotation properties: " + ontology.annotationPropertiesInSignature(Imports.INCLUDED).count());
        System.out.println("individuals: " + ontology.individualsInSignature(Imports.INCLUDED).count());
        System.out.println("axioms: " + ontology.getAxiomCount(Imports.INCLUDED)
                + " (logical: " + ontology.getLogicalAxiomCount(Imports.INCLUDED) + ")");
        problems.forEach(p -> System.out.println("PARSE PROBLEM: " + p));
        violations.forEach(v -> System.out.println(
                "VIOLATION: " + v.getClass().getSimpleName() + ": "
                        + oneLine(v.toString()).replace(" in " + v.getOntologyID(), "")));

        boolean ok = problems.isEmpty() && violations.isEmpty();
        System.out.println("SUMMARY: " + (ok ? "OK" : "FAILED") + ": " + problems.size()
                + " parse problems, " + violations.size() + " OWL 2 DL violations");
        System.exit(ok ? 0 : 1);
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** Reads the {@code <uri name=".." uri=".."/>} entries of a Protégé XML catalog. */
    private static Map<IRI, IRI> readCatalog(File path) throws Exception {
        File xml = path.isDirectory() ? new File(path, "catalog-v001.xml") : path;
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        NodeList entries = factory.newDocumentBuilder().parse(xml).getElementsByTagNameNS("*", "uri");
        Map<IRI, IRI> map = new HashMap<>();
        for (int i = 0; i < entries.getLength(); i++) {
            Element e = (Element) entries.item(i);
            map.put(IRI.create(e.getAttribute("name")),
                    IRI.create(xml.getAbsoluteFile().toURI().resolve(e.getAttribute("uri"))));
        }
        return map;
    }
}
