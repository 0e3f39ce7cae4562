"use client";
// Define a directory pool: a name and an absolute path (created when the pool first starts).
import { useTranslations } from "next-intl";
import { FieldError, FormDialog, inputClass } from "./form-dialog";
import { poolsPath, useStorageChange } from "./storage-queries";
import { useFormErrors } from "./use-form-errors";

export function DefinePoolDialog({ hostId, open, onClose }: { hostId: string; open: boolean; onClose: () => void }) {
  const change = useStorageChange(hostId);
  const errors = useFormErrors();
  const t = useTranslations("storage");
  const close = () => {
    errors.reset();
    onClose();
  };
  const submit = (f: FormData) => {
    const name = String(f.get("name") ?? "").trim();
    const path = String(f.get("path") ?? "").trim();
    const local: Record<string, string> = {};
    if (!name) local.name = t("define.nameRequired");
    if (!path.startsWith("/")) local.path = t("define.pathInvalid");
    if (Object.keys(local).length) return errors.setLocal(local);
    change.mutate(
      { path: poolsPath(hostId), method: "POST", body: { name, path }, label: t("task.definePool", { name }) },
      { onSuccess: close, onError: (e) => errors.fail(e, ["name", "path"]) },
    );
  };
  return (
    <FormDialog
      open={open}
      title={t("define.title")}
      submitLabel={t("define.submit")}
      busy={change.isPending}
      error={errors.general}
      onSubmit={submit}
      onCancel={close}
    >
      <label htmlFor="pool-name" className="text-sm font-medium">
        {t("define.name")}
      </label>
      <input
        id="pool-name"
        name="name"
        className={inputClass}
        required
        maxLength={64}
        // i18n-ignore: an example name
        placeholder="fast"
        aria-invalid={!!errors.fields.name}
        aria-describedby="pool-name-error"
      />
      <FieldError id="pool-name" error={errors.fields.name} />
      <label htmlFor="pool-path" className="text-sm font-medium">
        {t("define.path")}
      </label>
      <input
        id="pool-path"
        name="path"
        className={`${inputClass} font-mono`}
        required
        // i18n-ignore: an example path
        placeholder="/var/lib/libvirt/images/fast"
        aria-invalid={!!errors.fields.path}
        aria-describedby="pool-path-error"
      />
      <FieldError id="pool-path" error={errors.fields.path} />
      <p className="text-xs text-slate-500">{t("define.help")}</p>
    </FormDialog>
  );
}
