/**
 * The model for model-based testing (STYLE anchor D): what the guest kernel believes is mapped, as a flat
 * list of pages. No tables, no TLB, no PWC, no hypervisor — so any cached translation the system keeps
 * beyond its invalidation shows up as a disagreement with it.
 */
import { pageBytes, PageSize } from '../../isa/page-size';
import { overlaps } from '../../safety/removed-mapping';

export interface ModelPage {
  readonly pid: number;
  readonly ea: number;
  readonly pageSize: PageSize;
  readonly gRaddr: number;
  writable: boolean;
}

export class GuestMmuModel {
  readonly pages: ModelPage[] = [];

  covering(pid: number, ea: number): ModelPage | undefined {
    return this.pages.find((page) => page.pid === pid && page.ea <= ea && ea < page.ea + pageBytes(page.pageSize));
  }

  overlapping(pid: number, ea: number, pageSize: PageSize): boolean {
    return this.pages.some((page) => page.pid === pid && overlaps(page.ea, page.ea + pageBytes(page.pageSize), ea, ea + pageBytes(pageSize)));
  }

  /** The page `index` picks, cycling, so a shrunk index still names an existing page. */
  pick(index: number): ModelPage {
    return this.pages[index % this.pages.length];
  }

  remove(page: ModelPage): void {
    this.pages.splice(this.pages.indexOf(page), 1);
  }
}
