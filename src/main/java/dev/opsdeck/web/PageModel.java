package dev.opsdeck.web;

/** A page's model; every page carries the header ({@link Chrome}), which live fragments resend out of band. */
public interface PageModel {
    Chrome chrome();
}
