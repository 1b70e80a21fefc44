// Texts of the documents module's problems, in Bulgarian and English.
#include "documents/documents_routes.h"
#include "http/problem_catalog.h"

namespace egovbox::documents {

void RegisterDocumentsProblems() {
  auto& catalog = http::ProblemCatalog::Instance();
  catalog.Register("document-not-found",
                   {"Няма такъв документ", "Документът не съществува или нямате достъп до него.", "No such document",
                    "The document does not exist or you have no access to it."});
  catalog.Register("document-version-not-found", {"Няма такава версия", "Документът няма такава версия.",
                                                  "No such version", "The document has no such version."});
  catalog.Register("document-permission-denied",
                   {"Нямате право", "Документът е споделен с вас с по-малко права, отколкото изисква това действие.",
                    "Not allowed", "The document is shared with you with fewer rights than this needs."});
  catalog.Register("document-quota-exceeded",
                   {"Няма място", "Файлът не се побира в мястото, отделено за вашите документи.", "Out of space",
                    "The file does not fit in the space allotted to your documents."});
  catalog.Register("document-type-not-allowed",
                   {"Непозволен вид файл", "Файлове от вида „{type}“ не се приемат.", "File type not allowed",
                    "Files of the type \"{type}\" are not accepted."});
  catalog.Register(
      "document-infected",
      {"Открит е зловреден код", "Антивирусната проверка откри „{signature}“. Файлът е отказан и не е запазен.",
       "Malware found", "The virus scan found \"{signature}\". The file was refused and not kept."});
  catalog.Register("document-unscannable",
                   {"Файлът не може да бъде проверен",
                    "Файлът е по-голям, отколкото антивирусната проверка приема, и не е запазен. Разделете го или "
                    "помолете администратора да увеличи границата.",
                    "The file cannot be scanned",
                    "The file is larger than the virus scan accepts and was not kept. Split it or ask the "
                    "administrator to raise the limit."});
  catalog.Register("document-pending-scan",
                   {"Чака антивирусна проверка", "Версията ще се отвори, след като антивирусната проверка приключи.",
                    "Waiting for a virus scan", "The version opens once the virus scan is done."});
  catalog.Register("document-not-previewable",
                   {"Няма преглед", "Файлове от вида „{type}“ не се показват в страницата; изтеглете файла.",
                    "No preview", "Files of the type \"{type}\" are not shown in the page; download the file."});
  catalog.Register("document-not-deleted", {"Документът не е изтрит", "Документът не е изтрит.", "Not deleted",
                                            "The document is not deleted."});
  catalog.Register(
      "restricted-document-share",
      {"Документът е с ограничен достъп", "Документ с ограничен достъп се споделя само с поименно посочени служители.",
       "Restricted document", "A restricted document is shared with named employees only."});
  catalog.Register("share-grantee-not-found",
                   {"Няма с кого да се сподели", "Няма такъв служител, отдел или среща, на която сте поканени.",
                    "Nobody to share with", "There is no such employee, department, or meeting you are invited to."});
  catalog.Register("share-with-yourself",
                   {"Споделяне със себе си", "Не можете да си дадете права върху документ, който не е ваш.",
                    "Sharing with yourself", "You cannot give yourself rights on a document that is not yours."});
  catalog.Register("share-not-found", {"Няма такова споделяне", "Споделянето не съществува.", "No such share",
                                       "The share does not exist."});
  catalog.Register("upload-interrupted", {"Качването прекъсна", "Файлът не пристигна докрай. Опитайте отново.",
                                          "Upload interrupted", "The file did not arrive in full. Try again."});
  catalog.Register("range-not-satisfiable",
                   {"Невалиден обхват", "Исканата част е извън файла ({size} байта).", "Range not satisfiable",
                    "The requested part lies outside the file ({size} bytes)."});
}

}  // namespace egovbox::documents
