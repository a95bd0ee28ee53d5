export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process answers */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The store and the job engine answer (200, else 503) */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sync runs, newest first */
        get: operations["listRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A sync run with the changes it made */
        get: operations["getRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/entities/{kind}/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An entity with its history */
        get: operations["getEntity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The event log */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/customers/{id}/bonus": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A customer's bonus accounts, the one spent from, and the holds on it */
        get: operations["getBonusDetail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Orders, newest first */
        get: operations["listOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An order with its history and holds */
        get: operations["getOrderDetail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/storefronts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Storefronts with their delivery state */
        get: operations["listStorefronts"];
        put?: never;
        /** Create a storefront (its first secret and key are shown once) */
        post: operations["createStorefront"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/storefronts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a storefront's settings */
        patch: operations["changeStorefront"];
        trace?: never;
    };
    "/admin/api/storefronts/{id}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a REST API key (shown once) */
        post: operations["issueApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/storefronts/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A storefront's deliveries with their attempts */
        get: operations["listDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/deliveries/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again now */
        post: operations["replayDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/storefronts/{id}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Requeue dead deliveries since a time */
        post: operations["recoverDeliveries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/storefronts/{id}/secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the signing secret: old and new both sign during the overlap */
        post: operations["rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/storefronts/{id}/secrets/retiring": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End the overlap now: only the current secret signs */
        delete: operations["retireSecrets"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/storefronts/{id}/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a REST API key by its id */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/storefronts/{id}/backfill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the current state in backfill.batch messages */
        post: operations["backfillStorefront"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OData sources with their last run */
        get: operations["listSources"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/sources/{name}/pull": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue a pull of an OData source */
        post: operations["pullSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/orders/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send an order 1C has not taken or posted to 1C again */
        post: operations["retryOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Console users and their roles */
        get: operations["listUsers"];
        put?: never;
        /** Create a console user (or, with replace, set its password and role) */
        post: operations["saveUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every write through the console and the admin API, newest first */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/price-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Price types */
        get: operations["listPriceTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/warehouses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Warehouses */
        get: operations["listWarehouses"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/offers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Offers, a page at a time
         * @description Offers in key order, a page at a time: pass `next.cursor` back as `cursor`. `updatedSince` (ISO time) keeps only offers changed after it. With `customerId`, each offer carries `forCustomer`: its price for the customer’s price type and whether points may pay for it.
         */
        get: operations["listOffers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/offers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An offer
         * @description Prices of every price type and stock per warehouse; with `customerId`, `forCustomer` as in the list.
         */
        get: operations["getOffer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The catalogue’s group tree
         * @description Every group (Классификатор/Группы) not removed, in tree order: parents before children, siblings in 1C’s order, with `parentId` and `depth`.
         */
        get: operations["listGroups"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/properties": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Properties of products and offers
         * @description Each property with its value type and, for reference values (Справочник), value Ид → text.
         */
        get: operations["listProperties"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Products, a page at a time
         * @description Products in key order, a page at a time (pass `next.cursor` back), with their content and `groupPath`. `groupId` keeps the products of that group and its subgroups (`subgroups=false`: the group’s own); `updatedSince` only those changed after it.
         */
        get: operations["listProducts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A product with its offers
         * @description The product’s content, its `groupPath`, and its offers (variants) with prices and stock.
         */
        get: operations["getProduct"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Customers with an ИНН
         * @description A holding’s companies may share one ИНН: all of them in the storefront’s scope are listed.
         */
        get: operations["findCustomersByInn"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A customer
         * @description The customer as 1C has it: ИНН/КПП, head company, the price type of its agreement in force, its legal form (`b2b`), and its `level` (by turnover or as 1C gives it, as the profile says).
         */
        get: operations["getCustomer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}/bonus": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The bonus account a customer spends from
         * @description The account (its head company’s when the profile shares bonuses at the head) as 1C reports it, what orders taken here hold on it (`heldMinor`; `holds` lists this storefront’s orders), and what is still available.
         */
        get: operations["getCustomerBonus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}/bonus/programme": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The bonus programme’s conditions for a customer
         * @description What the personal account page shows: the share of a purchase points may pay for (`maxRedeemPercent`, and per price group), what one point is worth (`pointValue` in `currency`), whether points pay only for a segment’s goods, whether caps ignore discounts.
         */
        get: operations["getBonusConditions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}/bonus/offers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The goods a customer may pay for with points
         * @description Offers points may pay for, in key order, a page at a time (pass `next.cursor` back as `cursor`; a page may hold fewer than `limit` and still have a next): in the programme’s segment, not excluded, with a cap above 0. Each carries `forCustomer`: its price for the customer’s price type and the cap.
         */
        get: operations["listBonusOffers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}/bonus/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The movements of a customer’s bonus account
         * @description The movements of the customer’s own account up to now, newest first, as 1C keeps them (УТ 11.5: the register БонусныеБаллы): accruals, write-offs (with the order they paid for when it came from this service), expiries, reversals. They add up to the balance 1C reports. Pass `next.cursor` back as `cursor`.
         */
        get: operations["listBonusHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}/bonus/upcoming": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Points that will arrive or expire
         * @description Movements 1C has dated after now, soonest first: accruals that activate later (`accrual`) and points that will expire (`expiry`, negative). Pass `next.cursor` back as `cursor`.
         */
        get: operations["listUpcomingBonusMovements"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bonus/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * How many points this cart may take
         * @description How many points this cart may take, by УТ 11.5’s rule: the cap per line (price group, else the product, else the programme), lines outside the programme’s segment or with a discount above the cap excluded, at most the available balance; the applied amount spread over lines in proportion to their caps. Points are minor units (2 decimals).
         */
        post: operations["quoteCart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take an order
         * @description Takes an order: 201 with the new order; 200 with the order this key already made. Send an `Idempotency-Key` header: the same key and body give the same order, the same key with another body 409. The bonus amount is checked against the quote computed here (422 with the cap when above it) and held on the account at once.
         */
        post: operations["createOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel an order
         * @description Cancels an order: its bonus hold is released. If 1C took it through the order exchange, it is sent again with Отменен=true and UT 11 cancels its order; if it was sent over OData, 409 — cancel it in 1C (the status comes back).
         */
        post: operations["cancelOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An order
         * @description One of this storefront’s orders: its status, what 1C says of it, its history and holds.
         */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The change feed
         * @description The change feed: every change after `after`, in order; pass `next.after` back. The same messages as the webhooks, without the bodies: fetch the entity by id.
         */
        get: operations["listChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A product picture
         * @description Public: no key (a shop’s visitors load it). Content-addressed: cache it for a year.
         */
        get: operations["getMedia"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @example {
         *       "error": {
         *         "code": "UNPROCESSABLE",
         *         "message": "this order may take at most 42000 bonus points (minor units)",
         *         "requestId": "f5202f59-8ded-4db0-9522-a135815a8e8e",
         *         "details": {
         *           "maxRedeemableMinor": 42000
         *         }
         *       }
         *     }
         */
        ErrorInput: {
            error: {
                code: string;
                message: string;
                requestId: string;
                details?: unknown;
            };
        };
        PriceTypeInput: {
            id: string;
            name: string;
            currency: string;
            version: number;
            updatedAt: string;
        };
        WarehouseInput: {
            id: string;
            name: string;
            version: number;
            updatedAt: string;
        };
        OfferInput: {
            id: string;
            productId: string;
            variantId: string | null;
            prices: {
                [key: string]: {
                    amountMinor: number;
                    currency: string;
                };
            };
            stock: {
                total: number | null;
                warehouses: {
                    [key: string]: number;
                };
                /** @enum {string} */
                totalFrom?: "sent" | "warehouses";
            };
            removed: boolean;
            name?: string;
            characteristics?: {
                name: string;
                value: string;
            }[];
            unit?: {
                code: string | null;
                name: string | null;
                fullName: string | null;
                abbreviation: string | null;
                ratio: number | null;
            } | null;
            version: number;
            updatedAt: string;
            forCustomer?: {
                price: {
                    priceTypeId: string;
                    amountMinor: number;
                    currency: string;
                } | null;
                bonus: {
                    eligible: boolean;
                    /** @enum {string|null} */
                    reason: "no_cap" | "outside_segment" | "not_bonus_eligible" | "unknown_offer" | null;
                    capPercent: number;
                    /** @enum {string|null} */
                    capSource: "price_group" | "programme" | "product" | null;
                };
            };
        };
        ProductInput: {
            id: string;
            sku: string | null;
            name: string;
            groupIds: string[];
            priceGroupId: string | null;
            barcode: string | null;
            properties: {
                [key: string]: unknown;
            };
            bonusEligible: boolean | null;
            maxBonusPercent: number | null;
            removed: boolean;
            fullName?: string | null;
            description?: {
                text: string;
                html: boolean;
            } | null;
            unit?: {
                code: string | null;
                name: string | null;
                fullName: string | null;
                abbreviation: string | null;
                ratio: number | null;
            } | null;
            weight?: number | null;
            dimensions?: {
                length: number | null;
                width: number | null;
                height: number | null;
            } | null;
            manufacturer?: {
                id: string | null;
                name: string;
            } | null;
            brand?: string | null;
            taxes?: {
                name: string;
                rate: string;
            }[];
            requisites?: {
                [key: string]: string;
            };
            propertyValues?: {
                propertyId: string;
                name: string;
                values: {
                    value: string;
                    valueId: string | null;
                }[];
            }[];
            images?: {
                url: string;
                hash: string;
                path: string;
                width?: number;
                height?: number;
            }[];
            version: number;
            updatedAt: string;
            groupPath: {
                id: string;
                name: string;
            }[];
        };
        ProductDetailInput: {
            id: string;
            sku: string | null;
            name: string;
            groupIds: string[];
            priceGroupId: string | null;
            barcode: string | null;
            properties: {
                [key: string]: unknown;
            };
            bonusEligible: boolean | null;
            maxBonusPercent: number | null;
            removed: boolean;
            fullName?: string | null;
            description?: {
                text: string;
                html: boolean;
            } | null;
            unit?: {
                code: string | null;
                name: string | null;
                fullName: string | null;
                abbreviation: string | null;
                ratio: number | null;
            } | null;
            weight?: number | null;
            dimensions?: {
                length: number | null;
                width: number | null;
                height: number | null;
            } | null;
            manufacturer?: {
                id: string | null;
                name: string;
            } | null;
            brand?: string | null;
            taxes?: {
                name: string;
                rate: string;
            }[];
            requisites?: {
                [key: string]: string;
            };
            propertyValues?: {
                propertyId: string;
                name: string;
                values: {
                    value: string;
                    valueId: string | null;
                }[];
            }[];
            images?: {
                url: string;
                hash: string;
                path: string;
                width?: number;
                height?: number;
            }[];
            version: number;
            updatedAt: string;
            groupPath: {
                id: string;
                name: string;
            }[];
            offers: {
                id: string;
                productId: string;
                variantId: string | null;
                prices: {
                    [key: string]: {
                        amountMinor: number;
                        currency: string;
                    };
                };
                stock: {
                    total: number | null;
                    warehouses: {
                        [key: string]: number;
                    };
                    /** @enum {string} */
                    totalFrom?: "sent" | "warehouses";
                };
                removed: boolean;
                name?: string;
                characteristics?: {
                    name: string;
                    value: string;
                }[];
                unit?: {
                    code: string | null;
                    name: string | null;
                    fullName: string | null;
                    abbreviation: string | null;
                    ratio: number | null;
                } | null;
                version: number;
                updatedAt: string;
            }[];
        };
        GroupInput: {
            id: string;
            name: string;
            parentId: string | null;
            order: number;
            removed: boolean;
            version: number;
            updatedAt: string;
            depth: number;
        };
        PropertyInput: {
            id: string;
            name: string;
            valueType: string | null;
            values: {
                [key: string]: string;
            };
            forProducts: boolean | null;
            forOffers: boolean | null;
            removed: boolean;
            version: number;
            updatedAt: string;
        };
        CustomerInput: {
            id: string;
            name: string;
            inn: string | null;
            kpp: string | null;
            headId: string | null;
            priceTypeId: string | null;
            /** @enum {string|null} */
            legalForm?: "company" | "entrepreneur" | "person" | null;
            level: string | null;
            version: number;
            updatedAt: string;
            b2b: boolean | null;
        };
        SpendableBonusInput: {
            customerId: string;
            programId: string | null;
            balanceMinor: number;
            reservedMinor: number;
            currency: string;
            maxRedeemPercent: number | null;
            priceGroupCaps: {
                [key: string]: number;
            };
            availableMinor: number;
            heldMinor: number;
            holds: {
                orderId: string;
                number: string;
                amountMinor: number;
                createdAt: string;
            }[];
            sharedFrom: string | null;
        };
        BonusConditionsInput: {
            customerId: string;
            accountId: string | null;
            sharedFrom: string | null;
            programId: string | null;
            name: string | null;
            maxRedeemPercent: number | null;
            priceGroupCaps: {
                [key: string]: number;
            };
            segmentId: string | null;
            pointValue: string;
            currency: string;
            capsIgnoreDiscounts: boolean;
        };
        BonusOffersPageInput: {
            offers: {
                id: string;
                productId: string;
                variantId: string | null;
                prices: {
                    [key: string]: {
                        amountMinor: number;
                        currency: string;
                    };
                };
                stock: {
                    total: number | null;
                    warehouses: {
                        [key: string]: number;
                    };
                    /** @enum {string} */
                    totalFrom?: "sent" | "warehouses";
                };
                removed: boolean;
                name?: string;
                characteristics?: {
                    name: string;
                    value: string;
                }[];
                unit?: {
                    code: string | null;
                    name: string | null;
                    fullName: string | null;
                    abbreviation: string | null;
                    ratio: number | null;
                } | null;
                version: number;
                updatedAt: string;
                forCustomer: {
                    price: {
                        priceTypeId: string;
                        amountMinor: number;
                        currency: string;
                    } | null;
                    bonus: {
                        eligible: boolean;
                        /** @enum {string|null} */
                        reason: "no_cap" | "outside_segment" | "not_bonus_eligible" | "unknown_offer" | null;
                        capPercent: number;
                        /** @enum {string|null} */
                        capSource: "price_group" | "programme" | "product" | null;
                    };
                };
            }[];
            next: {
                cursor: string;
            } | null;
        };
        /**
         * @example {
         *       "customerId": "b9a7d2f0-3c1e-11ee-8000-00155d0a1b01",
         *       "lines": [
         *         {
         *           "offerId": "c1f4e8a2-3c1e-11ee-8000-00155d0a1b02#d2e5f9b3-3c1e-11ee-8000-00155d0a1b03",
         *           "quantity": 2
         *         }
         *       ],
         *       "requestedPoints": 50000
         *     }
         */
        QuoteRequestInput: {
            customerId: string;
            lines: {
                offerId: string;
                quantity: number;
                unitPriceMinor?: number;
                autoDiscountPercent?: number;
            }[];
            requestedPoints?: number;
        };
        QuoteInput: {
            customerId: string;
            programId: string | null;
            sharedFrom: string | null;
            priceTypeId: string | null;
            lines: {
                offerId: string;
                quantity: number;
                unitPriceMinor: number;
                sumMinor: number;
                eligible: boolean;
                reason: string | null;
                capPercent: number;
                /** @enum {string|null} */
                capSource: "price_group" | "programme" | "product" | null;
                capMinor: number;
                allocatedMinor: number;
            }[];
            availableMinor: number;
            maxRedeemableMinor: number;
            appliedMinor: number;
            appliedMoneyMinor: number;
            totalMinor: number;
            payableMinor: number;
        };
        /**
         * @example {
         *       "externalId": "s1-100045",
         *       "number": "S1-100045",
         *       "customerId": "b9a7d2f0-3c1e-11ee-8000-00155d0a1b01",
         *       "lines": [
         *         {
         *           "offerId": "c1f4e8a2-3c1e-11ee-8000-00155d0a1b02#d2e5f9b3-3c1e-11ee-8000-00155d0a1b03",
         *           "quantity": 2,
         *           "autoDiscountPercent": 5
         *         }
         *       ],
         *       "bonusMinor": 50000,
         *       "delivery": {
         *         "method": "Курьер",
         *         "address": "Москва, ул. Тверская, 1",
         *         "priceMinor": 50000
         *       },
         *       "paymentMethod": "Счёт",
         *       "comment": "Позвонить за час"
         *     }
         */
        NewOrderInput: {
            externalId: string;
            number: string;
            customerId: string;
            lines: {
                offerId: string;
                quantity: number;
                unitPriceMinor?: number;
                autoDiscountPercent?: number;
            }[];
            /** @default 0 */
            bonusMinor?: number;
            delivery?: {
                method?: string;
                address?: string;
                priceMinor?: number;
            } & {
                [key: string]: unknown;
            };
            paymentMethod?: string;
            comment?: string;
        };
        CancelRequestInput: {
            reason?: string;
        };
        OrderInput: {
            id: string;
            externalId: string;
            number: string;
            customerId: string;
            /** @enum {string} */
            status: "accepted" | "exported" | "confirmed" | "cancelled" | "failed";
            bonusMinor: number;
            body: {
                [key: string]: unknown;
            };
            quote: {
                [key: string]: unknown;
            };
            oneC: {
                [key: string]: unknown;
            };
            error: string | null;
            exportedAt: string | null;
            version: number;
            createdAt: string;
            updatedAt: string;
            storefrontId: string;
            forwardAttempts: number;
            waitingForOrderExchange: boolean;
            history: {
                status: string;
                note: string | null;
                at: string;
            }[];
            holds: {
                accountId: string;
                amountMinor: number;
                status: string;
                createdAt: string;
                endedAt: string | null;
            }[];
        };
        ChangeFeedPageInput: {
            events: {
                seq: number;
                type: string;
                kind: string;
                key: string;
                version: number;
                createdAt: string;
            }[];
            next: {
                after: number;
            };
        };
        /** @description An offer changed (prices, stock) or was removed. */
        OfferMessageInput: {
            /** @enum {string} */
            type: "offer.updated" | "offer.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                productId: string;
                variantId: string | null;
                prices: {
                    [key: string]: {
                        amountMinor: number;
                        currency: string;
                    };
                };
                stock: {
                    total: number | null;
                    warehouses: {
                        [key: string]: number;
                    };
                    /** @enum {string} */
                    totalFrom?: "sent" | "warehouses";
                };
                removed: boolean;
                name?: string;
                characteristics?: {
                    name: string;
                    value: string;
                }[];
                unit?: {
                    code: string | null;
                    name: string | null;
                    fullName: string | null;
                    abbreviation: string | null;
                    ratio: number | null;
                } | null;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A product changed or was removed. */
        ProductMessageInput: {
            /** @enum {string} */
            type: "product.updated" | "product.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                sku: string | null;
                name: string;
                groupIds: string[];
                priceGroupId: string | null;
                barcode: string | null;
                properties: {
                    [key: string]: unknown;
                };
                bonusEligible: boolean | null;
                maxBonusPercent: number | null;
                removed: boolean;
                fullName?: string | null;
                description?: {
                    text: string;
                    html: boolean;
                } | null;
                unit?: {
                    code: string | null;
                    name: string | null;
                    fullName: string | null;
                    abbreviation: string | null;
                    ratio: number | null;
                } | null;
                weight?: number | null;
                dimensions?: {
                    length: number | null;
                    width: number | null;
                    height: number | null;
                } | null;
                manufacturer?: {
                    id: string | null;
                    name: string;
                } | null;
                brand?: string | null;
                taxes?: {
                    name: string;
                    rate: string;
                }[];
                requisites?: {
                    [key: string]: string;
                };
                propertyValues?: {
                    propertyId: string;
                    name: string;
                    values: {
                        value: string;
                        valueId: string | null;
                    }[];
                }[];
                images?: {
                    url: string;
                    hash: string;
                    path: string;
                    width?: number;
                    height?: number;
                }[];
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A group of the catalogue tree changed (name, parent, order) or was removed. */
        GroupMessageInput: {
            /** @enum {string} */
            type: "group.updated" | "group.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                parentId: string | null;
                order: number;
                removed: boolean;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A property changed (name, value type, its reference values) or was removed. */
        PropertyMessageInput: {
            /** @enum {string} */
            type: "property.updated" | "property.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                valueType: string | null;
                values: {
                    [key: string]: string;
                };
                forProducts: boolean | null;
                forOffers: boolean | null;
                removed: boolean;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A price type changed. */
        PriceTypeMessageInput: {
            /** @enum {string} */
            type: "price_type.updated" | "price_type.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                currency: string;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A warehouse changed. */
        WarehouseMessageInput: {
            /** @enum {string} */
            type: "warehouse.updated" | "warehouse.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A customer in the storefront’s scope changed. */
        CustomerMessageInput: {
            /** @enum {string} */
            type: "customer.updated" | "customer.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                inn: string | null;
                kpp: string | null;
                headId: string | null;
                priceTypeId: string | null;
                /** @enum {string|null} */
                legalForm?: "company" | "entrepreneur" | "person" | null;
                level?: string | null;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A bonus account changed in 1C, or a hold was taken or ended: `availableMinor` is what the customer can spend now. */
        BonusMessageInput: {
            /** @enum {string} */
            type: "bonus.updated" | "bonus.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                customerId: string;
                programId: string | null;
                balanceMinor: number;
                reservedMinor: number;
                currency: string;
                maxRedeemPercent: number | null;
                priceGroupCaps: {
                    [key: string]: number;
                };
                heldMinor: number;
                availableMinor: number;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A bonus programme’s rules changed. */
        BonusProgrammeMessageInput: {
            /** @enum {string} */
            type: "bonus_programme.updated" | "bonus_programme.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                maxRedeemPercent: number | null;
                priceGroupCaps: {
                    [key: string]: number;
                };
                segmentId: string | null;
                pointValue: string;
                currency: string;
                capsIgnoreDiscounts: boolean;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A product segment’s members changed. */
        ProductSegmentMessageInput: {
            /** @enum {string} */
            type: "product_segment.updated" | "product_segment.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                members: {
                    [key: string]: true;
                };
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description `customer.level_changed`: the customer’s level changed (by turnover, or as 1C gives it). `customer.churn_risk`: a regular customer went quiet — the warning zone (+10 % over its usual cycle) or the red zone (+30 %) — or bought again (`zone: none`); sent once per change. */
        CustomerSignalMessageInput: {
            /** @enum {string} */
            type: "customer.level_changed" | "customer.churn_risk";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                customerId: string;
                /** @description customer.level_changed: the new level (null: none now) */
                level?: string | null;
                /** @description customer.level_changed: the level before */
                previous?: string | null;
                /** @description customer.level_changed: the turnover of the period the level was read from */
                turnoverMinor?: number;
                periodDays?: number;
                /**
                 * @description customer.churn_risk: the zone entered (none: the customer bought again)
                 * @enum {string}
                 */
                zone?: "none" | "warning" | "red";
                /** @description customer.churn_risk: days past the usual cycle */
                daysOverdue?: number;
                /** @description customer.churn_risk: the usual gap between purchases, days */
                cycleDays?: number | null;
                gapDays?: number | null;
                lastPurchaseAt?: string | null;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A movement of a bonus account as 1C keeps it (the ledger): new or changed, or gone because 1C unposted its document. */
        BonusMovementMessageInput: {
            /** @enum {string} */
            type: "bonus_movement.updated" | "bonus_movement.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                customerId: string;
                programId: string | null;
                at: string;
                amountMinor: number;
                /** @enum {string} */
                kind: "accrual" | "write_off" | "expiry" | "reservation" | "reversal";
                document: {
                    type: string | null;
                    id: string | null;
                    number: string | null;
                    date: string | null;
                };
                activatesAt: string | null;
                expiresAt: string | null;
                siteOrderNumber?: string | null;
                removed: boolean;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description `bonus.accrued`: 1C accrued points (or reversed a write-off); `bonus.written_off`: 1C wrote points off (an order paid with them, a correction); `bonus.expiring`: a batch of points will expire at `at` (sent once, `expiringDays` before). */
        BonusLedgerMessageInput: {
            /** @enum {string} */
            type: "bonus.accrued" | "bonus.written_off" | "bonus.expiring";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                customerId: string;
                movementId: string;
                /** @enum {string} */
                kind: "accrual" | "write_off" | "expiry" | "reservation" | "reversal";
                /** @description The change of what the customer can spend, minor units; negative for a write-off or an expiry. */
                deltaMinor: number;
                /** @description In words, Russian: «Начисление: начисление и списание бонусных баллов № ОП00-000101». */
                reason: string;
                document: {
                    type: string | null;
                    id: string | null;
                    number: string | null;
                    date: string | null;
                };
                at: string;
                activatesAt: string | null;
                expiresAt: string | null;
                /** @description The order of this service the write-off paid for, when it came from one. */
                order: {
                    id: string;
                    number: string;
                } | null;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description One of this storefront’s orders moved on (only the storefront that placed it gets it). */
        OrderMessageInput: {
            /** @enum {string} */
            type: "order.accepted" | "order.exported" | "order.status_changed" | "order.failed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                externalId: string;
                number: string;
                customerId: string;
                status: string;
                bonusMinor: number;
                /** @description What 1C says of the order: its number, date, posted, cancelled, payment, shipment, status. */
                oneC: {
                    [key: string]: unknown;
                };
                error: string | null;
                exportedAt: string | null;
                createdAt: string;
                updatedAt: string;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /**
         * @example {
         *       "error": {
         *         "code": "UNPROCESSABLE",
         *         "message": "this order may take at most 42000 bonus points (minor units)",
         *         "requestId": "f5202f59-8ded-4db0-9522-a135815a8e8e",
         *         "details": {
         *           "maxRedeemableMinor": 42000
         *         }
         *       }
         *     }
         */
        Error: {
            error: {
                code: string;
                message: string;
                requestId: string;
                details?: unknown;
            };
        };
        PriceType: {
            id: string;
            name: string;
            currency: string;
            version: number;
            updatedAt: string;
        };
        Warehouse: {
            id: string;
            name: string;
            version: number;
            updatedAt: string;
        };
        Offer: {
            id: string;
            productId: string;
            variantId: string | null;
            prices: {
                [key: string]: {
                    amountMinor: number;
                    currency: string;
                };
            };
            stock: {
                total: number | null;
                warehouses: {
                    [key: string]: number;
                };
                /** @enum {string} */
                totalFrom?: "sent" | "warehouses";
            };
            removed: boolean;
            name?: string;
            characteristics?: {
                name: string;
                value: string;
            }[];
            unit?: {
                code: string | null;
                name: string | null;
                fullName: string | null;
                abbreviation: string | null;
                ratio: number | null;
            } | null;
            version: number;
            updatedAt: string;
            forCustomer?: {
                price: {
                    priceTypeId: string;
                    amountMinor: number;
                    currency: string;
                } | null;
                bonus: {
                    eligible: boolean;
                    /** @enum {string|null} */
                    reason: "no_cap" | "outside_segment" | "not_bonus_eligible" | "unknown_offer" | null;
                    capPercent: number;
                    /** @enum {string|null} */
                    capSource: "price_group" | "programme" | "product" | null;
                };
            };
        };
        Product: {
            id: string;
            sku: string | null;
            name: string;
            groupIds: string[];
            priceGroupId: string | null;
            barcode: string | null;
            properties: {
                [key: string]: unknown;
            };
            bonusEligible: boolean | null;
            maxBonusPercent: number | null;
            removed: boolean;
            fullName?: string | null;
            description?: {
                text: string;
                html: boolean;
            } | null;
            unit?: {
                code: string | null;
                name: string | null;
                fullName: string | null;
                abbreviation: string | null;
                ratio: number | null;
            } | null;
            weight?: number | null;
            dimensions?: {
                length: number | null;
                width: number | null;
                height: number | null;
            } | null;
            manufacturer?: {
                id: string | null;
                name: string;
            } | null;
            brand?: string | null;
            taxes?: {
                name: string;
                rate: string;
            }[];
            requisites?: {
                [key: string]: string;
            };
            propertyValues?: {
                propertyId: string;
                name: string;
                values: {
                    value: string;
                    valueId: string | null;
                }[];
            }[];
            images?: {
                url: string;
                hash: string;
                path: string;
                width?: number;
                height?: number;
            }[];
            version: number;
            updatedAt: string;
            groupPath: {
                id: string;
                name: string;
            }[];
        };
        ProductDetail: {
            id: string;
            sku: string | null;
            name: string;
            groupIds: string[];
            priceGroupId: string | null;
            barcode: string | null;
            properties: {
                [key: string]: unknown;
            };
            bonusEligible: boolean | null;
            maxBonusPercent: number | null;
            removed: boolean;
            fullName?: string | null;
            description?: {
                text: string;
                html: boolean;
            } | null;
            unit?: {
                code: string | null;
                name: string | null;
                fullName: string | null;
                abbreviation: string | null;
                ratio: number | null;
            } | null;
            weight?: number | null;
            dimensions?: {
                length: number | null;
                width: number | null;
                height: number | null;
            } | null;
            manufacturer?: {
                id: string | null;
                name: string;
            } | null;
            brand?: string | null;
            taxes?: {
                name: string;
                rate: string;
            }[];
            requisites?: {
                [key: string]: string;
            };
            propertyValues?: {
                propertyId: string;
                name: string;
                values: {
                    value: string;
                    valueId: string | null;
                }[];
            }[];
            images?: {
                url: string;
                hash: string;
                path: string;
                width?: number;
                height?: number;
            }[];
            version: number;
            updatedAt: string;
            groupPath: {
                id: string;
                name: string;
            }[];
            offers: {
                id: string;
                productId: string;
                variantId: string | null;
                prices: {
                    [key: string]: {
                        amountMinor: number;
                        currency: string;
                    };
                };
                stock: {
                    total: number | null;
                    warehouses: {
                        [key: string]: number;
                    };
                    /** @enum {string} */
                    totalFrom?: "sent" | "warehouses";
                };
                removed: boolean;
                name?: string;
                characteristics?: {
                    name: string;
                    value: string;
                }[];
                unit?: {
                    code: string | null;
                    name: string | null;
                    fullName: string | null;
                    abbreviation: string | null;
                    ratio: number | null;
                } | null;
                version: number;
                updatedAt: string;
            }[];
        };
        Group: {
            id: string;
            name: string;
            parentId: string | null;
            order: number;
            removed: boolean;
            version: number;
            updatedAt: string;
            depth: number;
        };
        Property: {
            id: string;
            name: string;
            valueType: string | null;
            values: {
                [key: string]: string;
            };
            forProducts: boolean | null;
            forOffers: boolean | null;
            removed: boolean;
            version: number;
            updatedAt: string;
        };
        Customer: {
            id: string;
            name: string;
            inn: string | null;
            kpp: string | null;
            headId: string | null;
            priceTypeId: string | null;
            /** @enum {string|null} */
            legalForm?: "company" | "entrepreneur" | "person" | null;
            level: string | null;
            version: number;
            updatedAt: string;
            b2b: boolean | null;
        };
        SpendableBonus: {
            customerId: string;
            programId: string | null;
            balanceMinor: number;
            reservedMinor: number;
            currency: string;
            maxRedeemPercent: number | null;
            priceGroupCaps: {
                [key: string]: number;
            };
            availableMinor: number;
            heldMinor: number;
            holds: {
                orderId: string;
                number: string;
                amountMinor: number;
                createdAt: string;
            }[];
            sharedFrom: string | null;
        };
        BonusConditions: {
            customerId: string;
            accountId: string | null;
            sharedFrom: string | null;
            programId: string | null;
            name: string | null;
            maxRedeemPercent: number | null;
            priceGroupCaps: {
                [key: string]: number;
            };
            segmentId: string | null;
            pointValue: string;
            currency: string;
            capsIgnoreDiscounts: boolean;
        };
        BonusOffersPage: {
            offers: {
                id: string;
                productId: string;
                variantId: string | null;
                prices: {
                    [key: string]: {
                        amountMinor: number;
                        currency: string;
                    };
                };
                stock: {
                    total: number | null;
                    warehouses: {
                        [key: string]: number;
                    };
                    /** @enum {string} */
                    totalFrom?: "sent" | "warehouses";
                };
                removed: boolean;
                name?: string;
                characteristics?: {
                    name: string;
                    value: string;
                }[];
                unit?: {
                    code: string | null;
                    name: string | null;
                    fullName: string | null;
                    abbreviation: string | null;
                    ratio: number | null;
                } | null;
                version: number;
                updatedAt: string;
                forCustomer: {
                    price: {
                        priceTypeId: string;
                        amountMinor: number;
                        currency: string;
                    } | null;
                    bonus: {
                        eligible: boolean;
                        /** @enum {string|null} */
                        reason: "no_cap" | "outside_segment" | "not_bonus_eligible" | "unknown_offer" | null;
                        capPercent: number;
                        /** @enum {string|null} */
                        capSource: "price_group" | "programme" | "product" | null;
                    };
                };
            }[];
            next: {
                cursor: string;
            } | null;
        };
        /**
         * @example {
         *       "customerId": "b9a7d2f0-3c1e-11ee-8000-00155d0a1b01",
         *       "lines": [
         *         {
         *           "offerId": "c1f4e8a2-3c1e-11ee-8000-00155d0a1b02#d2e5f9b3-3c1e-11ee-8000-00155d0a1b03",
         *           "quantity": 2
         *         }
         *       ],
         *       "requestedPoints": 50000
         *     }
         */
        QuoteRequest: {
            customerId: string;
            lines: {
                offerId: string;
                quantity: number;
                unitPriceMinor?: number;
                autoDiscountPercent?: number;
            }[];
            requestedPoints?: number;
        };
        Quote: {
            customerId: string;
            programId: string | null;
            sharedFrom: string | null;
            priceTypeId: string | null;
            lines: {
                offerId: string;
                quantity: number;
                unitPriceMinor: number;
                sumMinor: number;
                eligible: boolean;
                reason: string | null;
                capPercent: number;
                /** @enum {string|null} */
                capSource: "price_group" | "programme" | "product" | null;
                capMinor: number;
                allocatedMinor: number;
            }[];
            availableMinor: number;
            maxRedeemableMinor: number;
            appliedMinor: number;
            appliedMoneyMinor: number;
            totalMinor: number;
            payableMinor: number;
        };
        /**
         * @example {
         *       "externalId": "s1-100045",
         *       "number": "S1-100045",
         *       "customerId": "b9a7d2f0-3c1e-11ee-8000-00155d0a1b01",
         *       "lines": [
         *         {
         *           "offerId": "c1f4e8a2-3c1e-11ee-8000-00155d0a1b02#d2e5f9b3-3c1e-11ee-8000-00155d0a1b03",
         *           "quantity": 2,
         *           "autoDiscountPercent": 5
         *         }
         *       ],
         *       "bonusMinor": 50000,
         *       "delivery": {
         *         "method": "Курьер",
         *         "address": "Москва, ул. Тверская, 1",
         *         "priceMinor": 50000
         *       },
         *       "paymentMethod": "Счёт",
         *       "comment": "Позвонить за час"
         *     }
         */
        NewOrder: {
            externalId: string;
            number: string;
            customerId: string;
            lines: {
                offerId: string;
                quantity: number;
                unitPriceMinor?: number;
                autoDiscountPercent?: number;
            }[];
            /** @default 0 */
            bonusMinor: number;
            delivery?: {
                method?: string;
                address?: string;
                priceMinor?: number;
            } & {
                [key: string]: unknown;
            };
            paymentMethod?: string;
            comment?: string;
        };
        CancelRequest: {
            reason?: string;
        };
        Order: {
            id: string;
            externalId: string;
            number: string;
            customerId: string;
            /** @enum {string} */
            status: "accepted" | "exported" | "confirmed" | "cancelled" | "failed";
            bonusMinor: number;
            body: {
                [key: string]: unknown;
            };
            quote: {
                [key: string]: unknown;
            };
            oneC: {
                [key: string]: unknown;
            };
            error: string | null;
            exportedAt: string | null;
            version: number;
            createdAt: string;
            updatedAt: string;
            storefrontId: string;
            forwardAttempts: number;
            waitingForOrderExchange: boolean;
            history: {
                status: string;
                note: string | null;
                at: string;
            }[];
            holds: {
                accountId: string;
                amountMinor: number;
                status: string;
                createdAt: string;
                endedAt: string | null;
            }[];
        };
        ChangeFeedPage: {
            events: {
                seq: number;
                type: string;
                kind: string;
                key: string;
                version: number;
                createdAt: string;
            }[];
            next: {
                after: number;
            };
        };
        /** @description An offer changed (prices, stock) or was removed. */
        OfferMessage: {
            /** @enum {string} */
            type: "offer.updated" | "offer.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                productId: string;
                variantId: string | null;
                prices: {
                    [key: string]: {
                        amountMinor: number;
                        currency: string;
                    };
                };
                stock: {
                    total: number | null;
                    warehouses: {
                        [key: string]: number;
                    };
                    /** @enum {string} */
                    totalFrom?: "sent" | "warehouses";
                };
                removed: boolean;
                name?: string;
                characteristics?: {
                    name: string;
                    value: string;
                }[];
                unit?: {
                    code: string | null;
                    name: string | null;
                    fullName: string | null;
                    abbreviation: string | null;
                    ratio: number | null;
                } | null;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A product changed or was removed. */
        ProductMessage: {
            /** @enum {string} */
            type: "product.updated" | "product.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                sku: string | null;
                name: string;
                groupIds: string[];
                priceGroupId: string | null;
                barcode: string | null;
                properties: {
                    [key: string]: unknown;
                };
                bonusEligible: boolean | null;
                maxBonusPercent: number | null;
                removed: boolean;
                fullName?: string | null;
                description?: {
                    text: string;
                    html: boolean;
                } | null;
                unit?: {
                    code: string | null;
                    name: string | null;
                    fullName: string | null;
                    abbreviation: string | null;
                    ratio: number | null;
                } | null;
                weight?: number | null;
                dimensions?: {
                    length: number | null;
                    width: number | null;
                    height: number | null;
                } | null;
                manufacturer?: {
                    id: string | null;
                    name: string;
                } | null;
                brand?: string | null;
                taxes?: {
                    name: string;
                    rate: string;
                }[];
                requisites?: {
                    [key: string]: string;
                };
                propertyValues?: {
                    propertyId: string;
                    name: string;
                    values: {
                        value: string;
                        valueId: string | null;
                    }[];
                }[];
                images?: {
                    url: string;
                    hash: string;
                    path: string;
                    width?: number;
                    height?: number;
                }[];
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A group of the catalogue tree changed (name, parent, order) or was removed. */
        GroupMessage: {
            /** @enum {string} */
            type: "group.updated" | "group.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                parentId: string | null;
                order: number;
                removed: boolean;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A property changed (name, value type, its reference values) or was removed. */
        PropertyMessage: {
            /** @enum {string} */
            type: "property.updated" | "property.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                valueType: string | null;
                values: {
                    [key: string]: string;
                };
                forProducts: boolean | null;
                forOffers: boolean | null;
                removed: boolean;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A price type changed. */
        PriceTypeMessage: {
            /** @enum {string} */
            type: "price_type.updated" | "price_type.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                currency: string;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A warehouse changed. */
        WarehouseMessage: {
            /** @enum {string} */
            type: "warehouse.updated" | "warehouse.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A customer in the storefront’s scope changed. */
        CustomerMessage: {
            /** @enum {string} */
            type: "customer.updated" | "customer.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                inn: string | null;
                kpp: string | null;
                headId: string | null;
                priceTypeId: string | null;
                /** @enum {string|null} */
                legalForm?: "company" | "entrepreneur" | "person" | null;
                level?: string | null;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A bonus account changed in 1C, or a hold was taken or ended: `availableMinor` is what the customer can spend now. */
        BonusMessage: {
            /** @enum {string} */
            type: "bonus.updated" | "bonus.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                customerId: string;
                programId: string | null;
                balanceMinor: number;
                reservedMinor: number;
                currency: string;
                maxRedeemPercent: number | null;
                priceGroupCaps: {
                    [key: string]: number;
                };
                heldMinor: number;
                availableMinor: number;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A bonus programme’s rules changed. */
        BonusProgrammeMessage: {
            /** @enum {string} */
            type: "bonus_programme.updated" | "bonus_programme.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                name: string;
                maxRedeemPercent: number | null;
                priceGroupCaps: {
                    [key: string]: number;
                };
                segmentId: string | null;
                pointValue: string;
                currency: string;
                capsIgnoreDiscounts: boolean;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A product segment’s members changed. */
        ProductSegmentMessage: {
            /** @enum {string} */
            type: "product_segment.updated" | "product_segment.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                members: {
                    [key: string]: true;
                };
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description `customer.level_changed`: the customer’s level changed (by turnover, or as 1C gives it). `customer.churn_risk`: a regular customer went quiet — the warning zone (+10 % over its usual cycle) or the red zone (+30 %) — or bought again (`zone: none`); sent once per change. */
        CustomerSignalMessage: {
            /** @enum {string} */
            type: "customer.level_changed" | "customer.churn_risk";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                customerId: string;
                /** @description customer.level_changed: the new level (null: none now) */
                level?: string | null;
                /** @description customer.level_changed: the level before */
                previous?: string | null;
                /** @description customer.level_changed: the turnover of the period the level was read from */
                turnoverMinor?: number;
                periodDays?: number;
                /**
                 * @description customer.churn_risk: the zone entered (none: the customer bought again)
                 * @enum {string}
                 */
                zone?: "none" | "warning" | "red";
                /** @description customer.churn_risk: days past the usual cycle */
                daysOverdue?: number;
                /** @description customer.churn_risk: the usual gap between purchases, days */
                cycleDays?: number | null;
                gapDays?: number | null;
                lastPurchaseAt?: string | null;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description A movement of a bonus account as 1C keeps it (the ledger): new or changed, or gone because 1C unposted its document. */
        BonusMovementMessage: {
            /** @enum {string} */
            type: "bonus_movement.updated" | "bonus_movement.removed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                customerId: string;
                programId: string | null;
                at: string;
                amountMinor: number;
                /** @enum {string} */
                kind: "accrual" | "write_off" | "expiry" | "reservation" | "reversal";
                document: {
                    type: string | null;
                    id: string | null;
                    number: string | null;
                    date: string | null;
                };
                activatesAt: string | null;
                expiresAt: string | null;
                siteOrderNumber?: string | null;
                removed: boolean;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description `bonus.accrued`: 1C accrued points (or reversed a write-off); `bonus.written_off`: 1C wrote points off (an order paid with them, a correction); `bonus.expiring`: a batch of points will expire at `at` (sent once, `expiringDays` before). */
        BonusLedgerMessage: {
            /** @enum {string} */
            type: "bonus.accrued" | "bonus.written_off" | "bonus.expiring";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                customerId: string;
                movementId: string;
                /** @enum {string} */
                kind: "accrual" | "write_off" | "expiry" | "reservation" | "reversal";
                /** @description The change of what the customer can spend, minor units; negative for a write-off or an expiry. */
                deltaMinor: number;
                /** @description In words, Russian: «Начисление: начисление и списание бонусных баллов № ОП00-000101». */
                reason: string;
                document: {
                    type: string | null;
                    id: string | null;
                    number: string | null;
                    date: string | null;
                };
                at: string;
                activatesAt: string | null;
                expiresAt: string | null;
                /** @description The order of this service the write-off paid for, when it came from one. */
                order: {
                    id: string;
                    number: string;
                } | null;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
        /** @description One of this storefront’s orders moved on (only the storefront that placed it gets it). */
        OrderMessage: {
            /** @enum {string} */
            type: "order.accepted" | "order.exported" | "order.status_changed" | "order.failed";
            /** @description When the message was sent (ISO 8601). */
            timestamp: string;
            data: {
                id: string;
                externalId: string;
                number: string;
                customerId: string;
                status: string;
                bonusMinor: number;
                /** @description What 1C says of the order: its number, date, posted, cancelled, payment, shipment, status. */
                oneC: {
                    [key: string]: unknown;
                };
                error: string | null;
                exportedAt: string | null;
                createdAt: string;
                updatedAt: string;
                /** @description Drop a message whose version is lower than one you have. */
                version: number;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                    };
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        checks: {
                            store: string;
                            jobs: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        checks: {
                            store: string;
                            jobs: string;
                        };
                    };
                };
            };
        };
    };
    listRuns: {
        parameters: {
            query?: {
                limit?: number;
                before?: number;
                source?: string;
                status?: "running" | "succeeded" | "failed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runs: ({
                            source: string;
                            kind: string;
                            status: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                        next: {
                            [key: string]: unknown;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRun: {
        parameters: {
            query?: {
                eventsLimit?: number;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run: {
                            source: string;
                            kind: string;
                            status: string;
                        } & {
                            [key: string]: unknown;
                        };
                        events: ({
                            kind: string;
                            key: string;
                            type: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEntity: {
        parameters: {
            query?: {
                historyLimit?: number;
            };
            header?: never;
            path: {
                kind: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        version: number;
                        history: {
                            [key: string]: unknown;
                        }[];
                        owners: {
                            [key: string]: string;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                after?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: ({
                            kind: string;
                            key: string;
                            type: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                        next: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBonusDetail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        customerId: string;
                        heldMinor: number;
                        availableMinor: number;
                        holds: ({
                            orderId: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listOrders: {
        parameters: {
            query?: {
                status?: "accepted" | "exported" | "confirmed" | "cancelled" | "failed";
                customerId?: string;
                number?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        orders: ({
                            id: string;
                            status: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOrderDetail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        status: string;
                        history: {
                            [key: string]: unknown;
                        }[];
                        holds: {
                            [key: string]: unknown;
                        }[];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listStorefronts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        storefronts: ({
                            id: string;
                            url: string;
                            enabled: boolean;
                            origin: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createStorefront: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id: string;
                    /** Format: uri */
                    url: string;
                    /**
                     * @default [
                     *       "*"
                     *     ]
                     */
                    events?: string[];
                    /** @default true */
                    enabled?: boolean;
                    /** @default false */
                    local?: boolean;
                    /** @default null */
                    customers?: {
                        ids?: string[];
                        priceTypes?: string[];
                        heads?: string[];
                        legalForms?: ("company" | "entrepreneur" | "person")[];
                    } | null;
                    /** @default false */
                    backfill?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        storefront: string;
                        /** @description whsec_…, shown once */
                        secret: string;
                        /** @description sk_…, shown once */
                        apiKey: string;
                        keyId: string;
                        backfill: {
                            [key: string]: number;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    changeStorefront: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    enabled?: boolean;
                    events?: string[];
                    /** Format: uri */
                    url?: string;
                    customers?: {
                        ids?: string[];
                        priceTypes?: string[];
                        heads?: string[];
                        legalForms?: ("company" | "entrepreneur" | "person")[];
                    } | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        enabled: boolean;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    issueApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        storefront: string;
                        /** @description Shown once: only its hash is kept. */
                        apiKey: string;
                        keyId: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listDeliveries: {
        parameters: {
            query?: {
                status?: "pending" | "delivered" | "dead" | "superseded";
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deliveries: ({
                            status: string;
                            type: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replayDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recoverDeliveries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    since: string;
                    /** @default true */
                    dryRun?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        storefront: string;
                        since: string;
                        dryRun: boolean;
                        count: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 24 */
                    overlapHours?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        storefront: string;
                        /** @description whsec_…, shown once */
                        secret: string;
                        retiringUntil: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    retireSecrets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        storefront: string;
                        retired: boolean;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        storefront: string;
                        revoked: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    backfillStorefront: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        storefront: string;
                        entities: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSources: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        configured: boolean;
                        sources: ({
                            name: string;
                            entity: string;
                            set: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    pullSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        queued: boolean;
                        jobId: string | null;
                        message: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    retryOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        orderId: string;
                        via: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        users: ({
                            login: string;
                            role: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    saveUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    login: string;
                    password: string;
                    /** @enum {string} */
                    role: "viewer" | "operator" | "admin";
                    /** @default false */
                    replace?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        login: string;
                        role: string;
                        done: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAudit: {
        parameters: {
            query?: {
                before?: number;
                actor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: ({
                            action: string;
                            actor: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPriceTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        priceTypes: components["schemas"]["PriceType"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWarehouses: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        warehouses: components["schemas"]["Warehouse"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listOffers: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                updatedSince?: string;
                customerId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        offers: components["schemas"]["Offer"][];
                        next: {
                            cursor: string;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOffer: {
        parameters: {
            query?: {
                customerId?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Offer"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listGroups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        groups: components["schemas"]["Group"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listProperties: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        properties: components["schemas"]["Property"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listProducts: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                updatedSince?: string;
                groupId?: string;
                subgroups?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        products: components["schemas"]["Product"][];
                        next: {
                            cursor: string;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductDetail"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    findCustomersByInn: {
        parameters: {
            query: {
                inn: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        customers: components["schemas"]["Customer"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCustomerBonus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpendableBonus"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBonusConditions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BonusConditions"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBonusOffers: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BonusOffersPage"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBonusHistory: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        movements: {
                            id: string;
                            customerId: string;
                            programId: string | null;
                            at: string;
                            amountMinor: number;
                            /** @enum {string} */
                            kind: "accrual" | "write_off" | "expiry" | "reservation" | "reversal";
                            document: {
                                type: string | null;
                                id: string | null;
                                number: string | null;
                                date: string | null;
                            };
                            activatesAt: string | null;
                            expiresAt: string | null;
                            siteOrderNumber?: string | null;
                            removed: boolean;
                            version: number;
                        }[];
                        next: {
                            cursor: string;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listUpcomingBonusMovements: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        movements: {
                            id: string;
                            customerId: string;
                            programId: string | null;
                            at: string;
                            amountMinor: number;
                            /** @enum {string} */
                            kind: "accrual" | "write_off" | "expiry" | "reservation" | "reversal";
                            document: {
                                type: string | null;
                                id: string | null;
                                number: string | null;
                                date: string | null;
                            };
                            activatesAt: string | null;
                            expiresAt: string | null;
                            siteOrderNumber?: string | null;
                            removed: boolean;
                            version: number;
                        }[];
                        next: {
                            cursor: string;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    quoteCart: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QuoteRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Quote"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createOrder: {
        parameters: {
            query?: never;
            header: {
                /** @description A stable value per order (site id + order id): the same on every retry. */
                "idempotency-key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewOrderInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CancelRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listChanges: {
        parameters: {
            query?: {
                after?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeFeedPage"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMedia: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The picture’s bytes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/*": string;
                };
            };
            /** @description No such picture */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
