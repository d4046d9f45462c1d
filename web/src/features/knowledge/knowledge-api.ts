import type { Article, ArticleSummary, KbCategory, SynonymGroup } from "@loopdesk/contracts/knowledge";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, uploadFile } from "../../api/client";

export const useKbCategories = (enabled = true) =>
  useQuery({ queryKey: ["kb-categories"], enabled, queryFn: async () => (await api<{ items: KbCategory[] }>("/kb/categories")).items });

export const useArticles = (params: Record<string, string | undefined>) => {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return useQuery({
    queryKey: ["kb-articles", query],
    queryFn: async () => (await api<{ items: ArticleSummary[] }>(`/kb/articles?${query}`)).items,
  });
};

export const useArticle = (id: number | null) =>
  useQuery({ queryKey: ["kb-article", id], enabled: id !== null, queryFn: () => api<Article>(`/kb/articles/${id}`) });

/** A change to an article that answers the article; the caches of the article and the lists follow. */
export function useArticleMutation<V>(fn: (v: V) => Promise<Article>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (a) => {
      qc.setQueryData(["kb-article", a.id], a);
      void qc.invalidateQueries({ queryKey: ["kb-articles"] });
      void qc.invalidateQueries({ queryKey: ["kb-categories"] });
    },
  });
}

export const useSynonyms = (enabled = true) =>
  useQuery({ queryKey: ["kb-synonyms"], enabled, queryFn: async () => (await api<{ items: SynonymGroup[] }>("/kb/synonyms")).items });

/** Uploads an image or file for an article; its id goes with the next save. */
export const uploadKbFile = (file: File) => uploadFile(file, "/kb/files");
